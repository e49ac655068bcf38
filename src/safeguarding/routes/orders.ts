// Protective order pages: a crime's orders (and the breaches recorded as this crime) with the form for a new order;
// one order's page with its terms, history, notification, breaches and the forms that change it. Thin: the order
// service validates, checks the force and audits.
import { Router, type Request, type Response } from 'express'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { errorList, recordIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import type { SafeguardingContext } from '../context.ts'
import { ORDER_CHANGES, ORDER_OUTCOME_LABELS, ORDER_OUTCOMES, OrderInputError } from '../services/orderService.ts'

const outcomes = ORDER_OUTCOMES.map((value) => ({ value, text: ORDER_OUTCOME_LABELS[value] }))

export function ordersRouter(services: SafeguardingContext): Router {
  const router = Router()
  const orders = services.safeguarding.orders
  const kinds = () => [...orders.kinds.values()].map((kind) => ({ value: kind.id, text: kind.name }))

  async function renderCrime(req: Request, res: Response, errors: Record<string, string> = {}, values: unknown = {}) {
    const view = await orders.crimeOrders(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    const failed = Object.keys(errors).length > 0
    res.status(failed ? 400 : 200).render('safeguarding/views/orders.njk', {
      pageTitle: `${failed ? 'Error: ' : ''}Protective orders – ${view.crime.force_reference}`,
      view,
      kinds: kinds(),
      outcomes,
      canEdit: res.locals.permissions.can('case:edit', view.crime.force_id),
      errors,
      errorList: errorList(errors),
      values,
    })
  }

  router.get('/crimes/:id/orders', requireCapability('case:read'), async (req, res) => {
    await renderCrime(req, res)
  })

  router.post('/crimes/:id/orders', requireCapability('case:edit'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    let orderId: number
    try {
      ;({ orderId } = await orders.recordOrder(viewerOf(res), id, req.body ?? {}))
    } catch (error) {
      if (!(error instanceof OrderInputError)) throw error
      if (error.errors.crime) throw new NotFoundError('There is no such crime')
      await renderCrime(req, res, error.errors, req.body ?? {})
      return
    }
    req.session.flash = { type: 'success', text: 'Order recorded.' }
    res.redirect(`/safeguarding/orders/${orderId}`)
  })

  async function renderOrder(
    req: Request,
    res: Response,
    extra: { errors?: Record<string, string>; values?: unknown; form?: string } = {},
  ) {
    const view = await orders.orderView(viewerOf(res), recordIdParam(req.params.orderId))
    if (!view) throw new NotFoundError('There is no such order')
    const errors = extra.errors ?? {}
    const failed = Object.keys(errors).length > 0
    res.status(failed ? 400 : 200).render('safeguarding/views/order.njk', {
      pageTitle: `${failed ? 'Error: ' : ''}${view.order.kindName} – ${view.crime.force_reference}`,
      view,
      outcomes,
      canEdit: res.locals.permissions.can('case:edit', view.order.force_id),
      errors,
      errorList: errorList(errors, { order: 'occurredOn' }),
      values: extra.values ?? {},
      form: extra.form ?? null,
    })
  }

  router.get('/orders/:orderId', requireCapability('case:read'), async (req, res) => {
    await renderOrder(req, res)
  })

  router.post('/orders/:orderId/breaches', requireCapability('case:edit'), async (req, res) => {
    const orderId = recordIdParam(req.params.orderId)
    try {
      await orders.recordBreach(viewerOf(res), orderId, req.body ?? {})
    } catch (error) {
      if (!(error instanceof OrderInputError)) throw error
      if (error.errors.order === 'There is no such order') throw new NotFoundError('There is no such order')
      await renderOrder(req, res, { errors: error.errors, values: req.body ?? {}, form: 'breach' })
      return
    }
    req.session.flash = { type: 'success', text: 'Breach recorded.' }
    res.redirect(`/safeguarding/orders/${orderId}#breaches`)
  })

  router.post('/orders/:orderId/:change', requireCapability('case:edit'), async (req, res) => {
    const orderId = recordIdParam(req.params.orderId)
    const change = String(req.params.change)
    if (!(ORDER_CHANGES as readonly string[]).includes(change)) throw new NotFoundError()
    try {
      await orders.changeOrder(viewerOf(res), orderId, change, req.body ?? {})
    } catch (error) {
      if (!(error instanceof OrderInputError)) throw error
      if (error.errors.order) throw new NotFoundError('There is no such order')
      await renderOrder(req, res, { errors: error.errors, values: req.body ?? {}, form: change })
      return
    }
    req.session.flash = { type: 'success', text: 'Order updated.' }
    res.redirect(`/safeguarding/orders/${orderId}`)
  })

  return router
}
