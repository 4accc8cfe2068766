import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canManageSharing, canReadAgreements } from '../information-sharing.policy.ts';
import { dsptStatuses } from '../catalogue.ts';
import { AssuranceForm, OrganisationParams, OrganisationPicker, ProtocolForm, ProtocolSignForm } from './assurance.schemas.ts';
import { assuranceAtAGlance, publishProtocol, saveAssurance, signProtocol, viewOrganisation, viewProtocol } from './assurance.service.ts';

/** Organisation assurance, the set-up checklist, and the overarching protocol. */
export function registerAssuranceRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const readers = allow(canReadAgreements, 'Only people working for an organisation in the partnership can see its information sharing.');
  const managers = allow(canManageSharing, 'Only information governance leads and partnership admins can see every partner’s assurance.');

  r.get('/sharing/assurance', { preHandler: managers, schema: { hide: true } }, async (request, reply) => {
    const view = await assuranceAtAGlance(db, actorOf(request));
    return reply.page('information-sharing/assurance.njk', { title: 'Partners’ assurance at a glance', width: 'full', ...view, dsptStatuses, organisationItems: [{ value: '', text: 'Choose an organisation' }, ...view.organisations.map((o) => ({ value: o.id, text: o.name }))] });
  });

  // The "set up an organisation" picker on the assurance page goes to that organisation's page.
  r.get('/sharing/organisations', { preHandler: managers, schema: { hide: true, querystring: OrganisationPicker } }, async (request, reply) => {
    const id = request.query.organisationId;
    return reply.redirect(id && z.uuid().safeParse(id).success ? `/sharing/organisations/${id}` : '/sharing/assurance', 303);
  });

  async function renderOrganisation(request: FastifyRequest, reply: FastifyReply, id: string, values?: Record<string, unknown>, errors?: FieldError[]) {
    const view = await viewOrganisation(db, actorOf(request), id);
    const a = view.assurance;
    const v = values ?? { ...a, version: String(a.version) };
    return reply.page('information-sharing/organisation.njk', {
      title: `Information governance: ${a.organisationName}`,
      ...view,
      values: v,
      errors,
      dsptItems: [{ value: '', text: 'Not known' }, ...Object.entries(dsptStatuses).map(([value, text]) => ({ value, text, selected: v.dsptStatus === value }))],
      memberItems: [{ value: '', text: 'Choose a person' }, ...view.members.map((m) => ({ value: m.id, text: m.name, selected: v.seniorSignatoryUserId === m.id }))],
      dsptName: a.dsptStatus ? dsptStatuses[a.dsptStatus as keyof typeof dsptStatuses] : 'Not known',
    });
  }

  r.get('/sharing/organisations/:id', { preHandler: readers, schema: { hide: true, params: OrganisationParams } }, async (request, reply) => renderOrganisation(request, reply, request.params.id));
  r.post('/sharing/organisations/:id', { preHandler: readers, schema: { hide: true, params: OrganisationParams } }, async (request, reply) => {
    const input = formBody(request);
    const { id } = request.params;
    return submitForm(reply, {
      schema: AssuranceForm,
      input,
      save: (form) => saveAssurance(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderOrganisation(request, reply, id, input, errors),
      done: ({ submitted }) => ({ redirect: `/sharing/organisations/${id}`, flash: submitted ? 'Assurance saved and submitted.' : 'Assurance saved. It counts as submitted once every item is recorded.' }),
    });
  });

  async function renderProtocol(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await viewProtocol(db, actorOf(request));
    return reply.page('information-sharing/protocol.njk', { title: 'The overarching information sharing protocol', ...view, values, errors });
  }

  r.get('/sharing/protocol', { preHandler: readers, schema: { hide: true } }, async (request, reply) => renderProtocol(request, reply));
  r.post('/sharing/protocol', { preHandler: managers, schema: { hide: true } }, async (request, reply) => {
    const input = formBody(request);
    return submitForm(reply, {
      schema: ProtocolForm,
      input,
      save: (form) => publishProtocol(db, actorOf(request), form, request.ip),
      redisplay: (errors) => renderProtocol(request, reply, input, errors),
      done: (version) => ({ redirect: '/sharing/protocol', flash: `Version ${version} published. Each organisation’s senior signatory signs it.` }),
    });
  });

  r.post('/sharing/protocol/signatures', { preHandler: readers, schema: { hide: true } }, async (request, reply) => {
    const input = formBody(request);
    return submitForm(reply, {
      schema: ProtocolSignForm,
      input,
      save: (form) => signProtocol(db, actorOf(request), form.organisationId, form.protocolVersion, request.ip),
      redisplay: (errors) => renderProtocol(request, reply, {}, errors.map((e) => ({ ...e, field: 'sign' }))),
      done: () => ({ redirect: '/sharing/protocol', flash: 'Protocol signed.' }),
    });
  });
}
