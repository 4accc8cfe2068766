import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow, signedIn } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { withPublicFormLimit } from '../../../platform/http/public-form-limit.ts';
import { canRefer, canUseCaseload } from '../social-prescribing.policy.ts';
import { IdParams } from '../social-prescribing.schemas.ts';
import { ApiReferral, ApiReferralCreate, ApiTriage, SelfReferralForm, StaffReferralForm, TriageForm } from './referrals.schemas.ts';
import { referExistingPerson, referNewPerson, selfRefer, triageReferral, viewReferral } from './referrals.service.ts';
import { PossibleDuplicates } from '../people/people.service.ts';
import type { Person } from '../people/people.repository.ts';
import type { Referral } from './referrals.repository.ts';
import { gpItems } from '../people/people.routes.ts';
import { declineReasonNames, labels, needOptions, options, preferredContactNames } from '../labels.ts';

/** Self-referrals from one address: room for a few corrected mistakes, too few for a flood. */
export const SELF_REFERRALS_PER_WINDOW = 10;
export const SELF_REFERRAL_WINDOW = '60 minutes';

const tags = ['Social prescribing'];
const security = [{ apiToken: [] }];
const apiRefusal = 'Only link workers and partnership admins can use the social prescribing API.';

const apiReferral = (r: Referral) => ({ id: r.id, personId: r.personId, status: r.status, source: r.source, reasons: r.reasons, snomedCode: r.snomedCode, declineReason: r.declineReason, caseId: r.caseId });

/** Referrals in: staff and self-referral forms, triage, and the API's referrals. */
export function registerReferralsRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const caseload = allow(canUseCaseload);

  async function renderStaffReferral(reply: FastifyReply, values: Record<string, unknown>, errors?: FieldError[], duplicates?: Person[]) {
    return reply.page('social-prescribing/refer.njk', {
      title: 'Refer someone to social prescribing',
      values,
      errors,
      duplicates,
      gpItems: await gpItems(db, values.gpPracticeId),
      needItems: needOptions(values.reasons),
      contactItems: options(preferredContactNames, values.preferredContact ?? 'phone'),
      labels,
    });
  }

  r.get('/social-prescribing/refer', { preHandler: allow(canRefer), schema: { hide: true } }, async (_request, reply) => renderStaffReferral(reply, {}));

  r.post('/social-prescribing/refer', { preHandler: allow(canRefer), schema: { hide: true } }, async (request, reply) => {
    const input = formBody(request);
    let duplicates: Person[] | undefined;
    return submitForm(reply, {
      schema: StaffReferralForm,
      input,
      save: async (form) => {
        try {
          return await referNewPerson(db, actorOf(request), form, request.ip);
        } catch (error) {
          if (error instanceof PossibleDuplicates) duplicates = error.duplicates;
          throw error;
        }
      },
      redisplay: (errors) => renderStaffReferral(reply, input, errors, duplicates),
      // The referrer's page says it was sent; the id is on the address for their records.
      done: ({ referralId }) => ({ redirect: `/social-prescribing/refer/sent?id=${referralId}` }),
    });
  });

  r.get('/social-prescribing/refer/sent', { preHandler: signedIn, schema: { hide: true } }, async (_request, reply) => reply.page('social-prescribing/referral-sent.njk', { title: 'Referral sent', self: false }));

  async function renderSelfReferral(reply: FastifyReply, values: Record<string, unknown>, errors?: FieldError[]) {
    return reply.page('social-prescribing/refer-yourself.njk', {
      title: 'Ask for support from a social prescribing link worker',
      values,
      errors,
      gpItems: await gpItems(db, values.gpPracticeId),
      needItems: needOptions(values.reasons),
      contactItems: options(preferredContactNames, values.preferredContact ?? 'phone'),
    });
  }

  // Public: anyone may ask for support.
  r.get('/social-prescribing/refer-yourself', { schema: { hide: true } }, async (_request, reply) => renderSelfReferral(reply, {}));

  withPublicFormLimit(app, { max: SELF_REFERRALS_PER_WINDOW, window: SELF_REFERRAL_WINDOW, title: 'You have sent too many requests for support', what: 'requests' }, (scoped, rateLimit) => {
    scoped.post('/social-prescribing/refer-yourself', { schema: { hide: true }, config: { rateLimit } }, async (request, reply) => {
      const input = formBody(request);
      return submitForm(reply, {
        schema: SelfReferralForm,
        input,
        save: (form) => selfRefer(db, form, request.ip),
        redisplay: (errors) => renderSelfReferral(reply, input, errors),
        done: () => ({ redirect: '/social-prescribing/refer-yourself/sent' }),
      });
    });
  });

  r.get('/social-prescribing/refer-yourself/sent', { schema: { hide: true } }, async (_request, reply) => reply.page('social-prescribing/referral-sent.njk', { title: 'We have your request', self: true }));

  async function renderTriage(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await viewReferral(db, actorOf(request), id, request.ip);
    return reply.page('social-prescribing/referral.njk', {
      title: `Referral for ${view.person.givenName} ${view.person.familyName}`,
      backHref: '/social-prescribing',
      view,
      values,
      errors,
      labels,
      declineItems: options(declineReasonNames, values.declineReason),
      teamItems: [{ value: '', text: 'Me' }, ...view.team.map((t) => ({ value: t.id, text: t.name, selected: values.linkWorkerId === t.id }))],
    });
  }

  r.get('/social-prescribing/referrals/:id', { preHandler: caseload, schema: { hide: true, params: IdParams } }, async (request, reply) => renderTriage(request, reply, request.params.id));

  r.post('/social-prescribing/referrals/:id/triage', { preHandler: caseload, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: TriageForm,
      input,
      save: (form) => triageReferral(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderTriage(request, reply, id, input, errors),
      done: ({ caseId }) =>
        caseId
          ? { redirect: `/social-prescribing/cases/${caseId}`, flash: 'Referral accepted and case opened. SNOMED CT 871731000000106 “Referral to social prescribing service” recorded.' }
          : { redirect: '/social-prescribing', flash: 'Referral declined.' },
    });
  });

  // ---- JSON API ------------------------------------------------------------------------------

  r.post(
    '/api/v1/social-prescribing/referrals',
    { preHandler: allow(canUseCaseload, apiRefusal), schema: { summary: 'Refer a person already on the caseload', tags, security, body: ApiReferralCreate, response: { 201: ApiReferral } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const id = await referExistingPerson(db, actor, request.body.personId, request.body, request.ip);
      const view = await viewReferral(db, actor, id, request.ip, 'api');
      return reply.status(201).send(apiReferral(view.referral));
    },
  );

  r.post(
    '/api/v1/social-prescribing/referrals/:id/triage',
    {
      preHandler: allow(canUseCaseload, apiRefusal),
      schema: { summary: 'Accept or decline a referral', description: 'Accepting records SNOMED CT 871731000000106 and opens a case; declining because the person declined records 871711000000103.', tags, security, params: IdParams, body: ApiTriage, response: { 200: ApiReferral } },
    },
    async (request) => {
      const actor = actorOf(request);
      await triageReferral(db, actor, request.params.id, request.body, request.ip);
      const view = await viewReferral(db, actor, request.params.id, request.ip, 'api');
      return apiReferral(view.referral);
    },
  );
}
