import { Router } from 'express'
import type { Services } from '../../compositionRoot.ts'

export function homeRouter(_services: Services): Router {
  const router = Router()
  router.get('/', (_req, res) => {
    res.render('platform/views/pages/home.njk')
  })
  return router
}
