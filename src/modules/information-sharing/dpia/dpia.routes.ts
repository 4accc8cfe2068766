import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canManageSharing, canReadAgreements } from '../information-sharing.policy.ts';
import { AgreementParams } from '../agreements/agreements.schemas.ts';
import { DecisionForm, DpiaForm, levels, residuals, RiskForm, screeningQuestions, severities } from './dpia.schemas.ts';
import { addRisk, decideDpia, saveScreening, viewDpia } from './dpia.service.ts';

const statusNames = { draft: 'Draft', awaiting_approval: 'Waiting for approval (locked)', approved: 'Approved (locked)' };

/** The agreement's DPIA: screening, risks, the DPO's advice, approval. */
export function registerDpiaRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const readers = allow(canReadAgreements, 'Only people working for an organisation in the partnership can read its DPIAs.');
  const managers = allow(canManageSharing, 'Only information governance leads and partnership admins can write DPIAs.');

  async function render(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await viewDpia(db, actorOf(request), id);
    const chosen = values.screening ?? view.dpia.screening;
    return reply.page('information-sharing/dpia.njk', {
      ...view,
      agreementTitle: view.title,
      title: `Data protection impact assessment: ${view.title}`,
      agreementId: id,
      statusName: statusNames[view.dpia.status],
      values,
      errors,
      screeningItems: Object.entries(screeningQuestions).map(([value, text]) => ({ value, text, checked: Array.isArray(chosen) ? chosen.includes(value) : chosen === value })),
      risks: view.dpia.risks.map((k) => ({ ...k, likelihoodName: levels[k.likelihood as 1 | 2 | 3], severityName: severities[k.severity as 1 | 2 | 3], score: k.likelihood * k.severity, residualName: residuals[k.residual as keyof typeof residuals] })),
      likelihoodItems: Object.entries(levels).map(([value, text]) => ({ value, text, checked: values.likelihood === value })),
      severityItems: Object.entries(severities).map(([value, text]) => ({ value, text, checked: values.severity === value })),
      residualItems: Object.entries(residuals).map(([value, text]) => ({ value, text, checked: values.residual === value })),
    });
  }

  const params = { hide: true, params: AgreementParams };
  r.get('/sharing/agreements/:id/dpia', { preHandler: readers, schema: params }, async (request, reply) => render(request, reply, request.params.id));

  const post = (path: string, schema: typeof DpiaForm | typeof RiskForm | typeof DecisionForm, save: (request: FastifyRequest, id: string, form: never) => Promise<unknown>, flash: (result: unknown) => string) =>
    r.post(`/sharing/agreements/:id/dpia${path}`, { preHandler: managers, schema: params }, async (request, reply) => {
      const input = formBody(request);
      const { id } = request.params;
      return submitForm(reply, {
        schema,
        input,
        save: (form) => save(request, id, form as never),
        redisplay: (errors) => render(request, reply, id, input, errors),
        done: (result) => ({ redirect: `/sharing/agreements/${id}/dpia`, flash: flash(result) }),
      });
    });
  post('', DpiaForm, (request, id, form: DpiaForm) => saveScreening(db, actorOf(request), id, form, request.ip), () => 'Screening and advice saved.');
  post('/risks', RiskForm, (request, id, form: RiskForm) => addRisk(db, actorOf(request), id, form, request.ip), () => 'Risk added.');
  post('/decision', DecisionForm, (request, id, form: DecisionForm) => decideDpia(db, actorOf(request), id, form, request.ip), (status) =>
    status === 'awaiting_approval' ? 'Sent for approval. The DPIA is locked until it is approved or returned.' : status === 'approved' ? 'DPIA approved.' : 'DPIA returned for changes.');
}
