import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { organisationPickerFor, pickOrganisation, type OrganisationPicker } from '../../../platform/organisation-picker.ts';
import { canManageSharing, canReadAgreements } from '../information-sharing.policy.ts';
import { article6, article9, caldicottPrinciples, confidentiality, dataItems, flowTypes, identifiability, itemName, partyRoles, schedule1, uses } from '../catalogue.ts';
import { AgreementForm, AgreementParams, FlowForm, FlowParams, PartyForm, PartyParams, PurposeForm, SignForm } from './agreements.schemas.ts';
import { addFlow, addParty, agreementForNewParty, createAgreement, listAgreements, removeFlow, removeParty, signAgreement, updateAgreement, viewAgreement } from './agreements.service.ts';

const items = (o: Record<string, string>, chosen?: unknown, blank?: string) => [
  ...(blank !== undefined ? [{ value: '', text: blank }] : []),
  ...Object.entries(o).map(([value, text]) => ({ value, text, selected: chosen === value, checked: Array.isArray(chosen) ? chosen.includes(value) : chosen === value })),
];

/** Agreements: list, write from the purpose, parties, flows, details, sign. */
export function registerAgreementRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const readers = allow(canReadAgreements, 'Only people working for an organisation in the partnership can read its agreements.');
  const managers = allow(canManageSharing, 'Only information governance leads and partnership admins can write agreements.');

  r.get('/sharing', { preHandler: readers, schema: { hide: true } }, async (request, reply) => {
    const agreements = await listAgreements(db, actorOf(request));
    return reply.page('information-sharing/agreements.njk', { title: 'Information sharing agreements', agreements, canManage: canManageSharing(actorOf(request)) });
  });

  const renderNew = (reply: FastifyReply, values: Record<string, unknown>, errors?: FieldError[]) =>
    reply.page('information-sharing/agreement-new.njk', { title: 'Start an agreement from its purpose', values, errors, useItems: items(uses, values.uses) });

  r.get('/sharing/agreements/new', { preHandler: managers, schema: { hide: true } }, async (_request, reply) => renderNew(reply, {}));
  r.post('/sharing/agreements/new', { preHandler: managers, schema: { hide: true } }, async (request, reply) => {
    const input = formBody(request);
    return submitForm(reply, {
      schema: PurposeForm,
      input,
      save: (form) => createAgreement(db, actorOf(request), form, request.ip),
      redisplay: (errors) => renderNew(reply, input, errors),
      done: (id) => ({ redirect: `/sharing/agreements/${id}`, flash: 'Agreement started. Add the parties, then the data flows.' }),
    });
  });

  async function renderAgreement(request: FastifyRequest, reply: FastifyReply, id: string, extra: { errors?: FieldError[]; values?: Record<string, unknown> } = {}) {
    const view = await viewAgreement(db, actorOf(request), id);
    const a = view.agreement;
    return reply.page('information-sharing/agreement.njk', {
      title: a.title,
      width: 'full',
      ...view,
      ...extra,
      values: extra.values ?? {},
      partyRoles,
      useNames: a.uses.map((u) => uses[u as keyof typeof uses] ?? u),
      flows: a.flows.map((f, i) => ({
        ...f,
        n: i + 1,
        flowTypeName: f.flowType ? flowTypes[f.flowType as keyof typeof flowTypes]?.name : null,
        itemNames: f.dataItems.map(itemName),
        identifiabilityName: identifiability[f.identifiability as keyof typeof identifiability],
        article6Name: article6[f.article6 as keyof typeof article6],
        article9Name: f.article9 ? article9[f.article9 as keyof typeof article9] : null,
        schedule1Name: f.schedule1 ? schedule1[f.schedule1 as keyof typeof schedule1] : null,
        confidentialityName: f.confidentialityBasis ? confidentiality[f.confidentialityBasis as keyof typeof confidentiality] : null,
        caldicottAnswered: Object.values(f.caldicott).filter((v) => v.trim()).length,
      })),
      parties: a.parties.map((p) => ({ ...p, signature: view.status.current.get(p.organisationId), earlier: a.signatures.filter((s) => s.organisationId === p.organisationId && s.fingerprint !== a.fingerprint).at(-1) })),
      shortFingerprint: a.fingerprint.slice(0, 12),
    });
  }

  r.get('/sharing/agreements/:id', { preHandler: readers, schema: { hide: true, params: AgreementParams } }, async (request, reply) => renderAgreement(request, reply, request.params.id));

  async function renderParty(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown>, errors?: FieldError[], picker?: OrganisationPicker) {
    const agreement = await agreementForNewParty(db, actorOf(request), id);
    return reply.page('information-sharing/party-new.njk', {
      title: `Add a party to ${agreement.title}`,
      agreement,
      values,
      errors,
      picker: picker ?? (await organisationPickerFor(db, values.organisationId)),
      roleItems: items(partyRoles, values.role ?? 'controller'),
    });
  }

  r.get('/sharing/agreements/:id/parties/new', { preHandler: managers, schema: { hide: true, params: AgreementParams } }, async (request, reply) => renderParty(request, reply, request.params.id, {}));
  r.post('/sharing/agreements/:id/parties', { preHandler: managers, schema: { hide: true, params: AgreementParams } }, async (request, reply) => {
    const input = formBody(request);
    const { id } = request.params;
    // The party is chosen with the organisation picker: "Find" shows matches, a vague name asks which.
    const pick = await pickOrganisation(db, input, 'organisationId');
    if (pick.finding || pick.problem) return renderParty(request, reply.status(pick.problem ? 422 : 200), id, input, pick.problem ? [pick.problem] : undefined, pick.picker);
    return submitForm(reply, {
      schema: PartyForm,
      input,
      save: (form) => addParty(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderParty(request, reply, id, input, errors, pick.picker),
      done: (name) => ({ redirect: `/sharing/agreements/${id}#parties`, flash: `${name} added as a party.` }),
    });
  });

  r.post('/sharing/agreements/:id/parties/:organisationId/remove', { preHandler: managers, schema: { hide: true, params: PartyParams } }, async (request, reply) => {
    const { id, organisationId } = request.params;
    return submitForm(reply, {
      schema: z.object({}),
      input: {},
      save: () => removeParty(db, actorOf(request), id, organisationId, request.ip),
      redisplay: (errors) => renderAgreement(request, reply, id, { errors: errors.map((e) => ({ ...e, field: 'parties' })) }),
      done: () => ({ redirect: `/sharing/agreements/${id}#parties`, flash: 'Party removed.' }),
    });
  });

  r.post('/sharing/agreements/:id/signatures', { preHandler: readers, schema: { hide: true, params: AgreementParams } }, async (request, reply) => {
    const input = formBody(request);
    const { id } = request.params;
    return submitForm(reply, {
      schema: SignForm,
      input,
      save: (form) => signAgreement(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderAgreement(request, reply, id, { errors: errors.map((e) => ({ ...e, field: 'signatures' })) }),
      done: ({ state }) => ({ redirect: `/sharing/agreements/${id}#signatures`, flash: state === 'active' ? 'Signed. Every party has signed this version: the agreement is active.' : 'Signed. Your signature is recorded against this exact version.' }),
    });
  });

  // ---- details: purpose, uses, retention, security, rights, breaches, dates --------------------

  async function renderEdit(request: FastifyRequest, reply: FastifyReply, id: string, values?: Record<string, unknown>, errors?: FieldError[]) {
    const { agreement: a } = await viewAgreement(db, actorOf(request), id);
    const v = values ?? { ...a, version: String(a.version) };
    return reply.page('information-sharing/agreement-edit.njk', { title: `Edit ${a.title}`, agreement: a, values: v, errors, useItems: items(uses, v.uses) });
  }

  r.get('/sharing/agreements/:id/edit', { preHandler: managers, schema: { hide: true, params: AgreementParams } }, async (request, reply) => renderEdit(request, reply, request.params.id));
  r.post('/sharing/agreements/:id/edit', { preHandler: managers, schema: { hide: true, params: AgreementParams } }, async (request, reply) => {
    const input = formBody(request);
    const { id } = request.params;
    return submitForm(reply, {
      schema: AgreementForm,
      input,
      save: (form) => updateAgreement(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderEdit(request, reply, id, input, errors),
      done: () => ({ redirect: `/sharing/agreements/${id}`, flash: 'Agreement saved. Any signatures on the earlier version no longer count: each party signs this version.' }),
    });
  });

  // ---- flows --------------------------------------------------------------------------------

  async function renderFlow(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown>, errors?: FieldError[]) {
    const { agreement: a } = await viewAgreement(db, actorOf(request), id);
    const parties = (chosen: unknown) => [{ value: '', text: 'Choose a party' }, ...a.parties.map((p) => ({ value: p.organisationId, text: p.name, selected: chosen === p.organisationId }))];
    const chosenItems = Array.isArray(values.dataItems) ? values.dataItems : values.dataItems ? [values.dataItems] : [];
    return reply.page('information-sharing/flow-new.njk', {
      title: `Add a data flow to ${a.title}`,
      agreement: a,
      values,
      errors,
      flowTypeItems: items(Object.fromEntries(Object.entries(flowTypes).map(([k, v]) => [k, v.name])), values.flowType, 'Not one of Common Ground’s own flows'),
      fromItems: parties(values.fromOrganisationId),
      toItems: parties(values.toOrganisationId),
      dataItemItems: dataItems.map((d) => ({ value: d.id, text: d.name + (d.specialCategory ? ' (special category)' : ''), hint: d.commonGround ? { text: 'Shared by Common Ground' } : undefined, checked: chosenItems.includes(d.id) })),
      identifiabilityItems: items(identifiability, values.identifiability),
      article6Items: items(article6, values.article6, 'Choose a lawful basis'),
      article9Items: items(article9, values.article9, 'None: no special category data'),
      schedule1Items: items(schedule1, values.schedule1, 'None needed'),
      confidentialityItems: items(confidentiality, values.confidentialityBasis, 'Choose how the duty is met'),
      optOutItems: [
        { value: 'yes', text: 'Yes: a use beyond individual care (research or planning)', checked: values.optOutApplies === 'yes' },
        { value: 'no', text: 'No: for individual care, or not confidential patient information', checked: values.optOutApplies === 'no' },
      ],
      caldicottPrinciples: caldicottPrinciples.map((text, i) => ({ n: i + 1, text, name: `caldicott${i + 1}`, value: values[`caldicott${i + 1}`] })),
    });
  }

  r.get('/sharing/agreements/:id/flows/new', { preHandler: managers, schema: { hide: true, params: AgreementParams } }, async (request, reply) => renderFlow(request, reply, request.params.id, {}));
  r.post('/sharing/agreements/:id/flows/new', { preHandler: managers, schema: { hide: true, params: AgreementParams } }, async (request, reply) => {
    const input = formBody(request);
    const { id } = request.params;
    return submitForm(reply, {
      schema: FlowForm,
      input,
      save: (form) => addFlow(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderFlow(request, reply, id, input, errors),
      done: () => ({ redirect: `/sharing/agreements/${id}#flows`, flash: 'Data flow added.' }),
    });
  });

  r.post('/sharing/agreements/:id/flows/:flowId/remove', { preHandler: managers, schema: { hide: true, params: FlowParams } }, async (request, reply) => {
    const { id, flowId } = request.params;
    await removeFlow(db, actorOf(request), id, flowId, request.ip);
    reply.flash('Data flow removed.');
    return reply.redirect(`/sharing/agreements/${id}#flows`, 303);
  });
}
