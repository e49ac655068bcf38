import { Router } from 'express'
import type { PlatformServices } from '../area.ts'

export function homeRouter(_services: PlatformServices): Router {
  const router = Router()
  router.get('/', (_req, res) => {
    res.render('platform/views/pages/home.njk')
  })
  return router
}
