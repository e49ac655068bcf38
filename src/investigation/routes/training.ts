// The training register's page: each course's figures, the learning system's export imported, a completion by hand.
import { Router, type Request, type Response } from 'express'
import type { InvestigationContext } from '../context.ts'
import { errorList, viewerOf } from '../../platform/web/requestHelpers.ts'
import { addDays } from '../../platform/days.ts'
import { InvestigationInputError } from '../services/investigationService.ts'
import { LearningExportError } from '../services/learningExport.ts'
import type { TrainingImportSummary } from '../services/trainingService.ts'

/** The figures cover officers allocated stalking crimes reported in the last year. */
const FIGURE_DAYS = 365

function uploadedFile(req: Request): Express.Multer.File | undefined {
  const files = Array.isArray(req.files) ? req.files : []
  return files.find((file) => file.fieldname === 'file' && file.size > 0)
}

export function trainingRouter(services: InvestigationContext): Router {
  const router = Router()
  const training = services.investigation.training

  async function render(
    res: Response,
    extra: { errors?: Record<string, string>; values?: unknown; imported?: TrainingImportSummary } = {},
  ) {
    const viewer = viewerOf(res)
    const today = new Date().toISOString().slice(0, 10)
    const period = { from: `${addDays(today, -FIGURE_DAYS)}T00:00:00.000Z`, to: `${addDays(today, 1)}T00:00:00.000Z` }
    const view = await training.view(viewer, period)
    const errors = extra.errors ?? {}
    const failed = Object.keys(errors).length > 0
    res.status(failed ? 400 : 200).render('investigation/views/training.njk', {
      pageTitle: `${failed ? 'Error: ' : ''}Training register`,
      view,
      courses: training.courses,
      courseItems: [
        { value: '', text: 'Choose the course' },
        ...training.courses.map((course) => ({
          value: course.id,
          text: course.name,
          selected: (extra.values as { courseId?: string } | undefined)?.courseId === course.id,
        })),
      ],
      canManage: training.canManage(viewer),
      imported: extra.imported,
      errors,
      errorList: errorList(errors, { file: 'file', courseId: 'courseId', completedOn: 'completedOn-day' }),
      values: extra.values ?? {},
    })
  }

  router.get('/', async (_req, res) => {
    await render(res)
  })

  router.post('/import', async (req, res) => {
    const file = uploadedFile(req)
    if (!file) {
      await render(res, { errors: { file: "Choose the learning system's export (a CSV file)" } })
      return
    }
    try {
      const imported = await training.importExport(viewerOf(res), file.buffer, file.originalname)
      await render(res, { imported })
    } catch (error) {
      if (!(error instanceof LearningExportError)) throw error
      await render(res, { errors: { file: `${error.message}. Nothing was imported.` } })
    }
  })

  router.post('/completions', async (req, res) => {
    try {
      await training.recordCompletion(viewerOf(res), req.body ?? {})
    } catch (error) {
      if (!(error instanceof InvestigationInputError)) throw error
      await render(res, { errors: error.errors, values: req.body ?? {} })
      return
    }
    req.session.flash = { type: 'success', text: 'Course completion recorded.' }
    res.redirect('/investigation/training')
  })

  return router
}
