import { Router } from 'express'

/** The public pages every published page links to (docs/page-patterns.md): the accessibility statement and contact. */
export function publicPagesRouter(): Router {
  const router = Router()
  // Every public page, and the error pages under /public, wear the public layout.
  router.use('/public', (_req, res, next) => {
    res.locals.publicPage = true
    next()
  })
  router.get('/public/accessibility', (_req, res) => {
    res.render('platform/views/pages/accessibility.njk')
  })
  router.get('/public/contact', (_req, res) => {
    res.render('platform/views/pages/contact.njk')
  })
  return router
}
