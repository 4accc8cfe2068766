import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canUseCaseload } from '../social-prescribing.policy.ts';
import { ApiPerson, IdParams } from '../social-prescribing.schemas.ts';
import { ApiDuplicates, ApiPersonCreate, ConsentForm, PersonEditForm } from './people.schemas.ts';
import { ExistingPersonReferralForm } from '../referrals/referrals.schemas.ts';
import { createPerson, listGpPractices, personDetails, personToEdit, PossibleDuplicates, recordConsent, updatePerson, viewPerson } from './people.service.ts';
import { referExistingPerson } from '../referrals/referrals.service.ts';
import type { Consent, Person } from './people.repository.ts';
import { labels, needOptions, options, preferredContactNames } from '../labels.ts';

const tags = ['Social prescribing'];
const security = [{ apiToken: [] }];
const apiRefusal = 'Only link workers and partnership admins can use the social prescribing API.';

/** The GP practice choices of the person forms (practices in a PCN). */
export async function gpItems(db: AppContext['db'], selected: unknown) {
  const practices = await listGpPractices(db);
  return [{ value: '', text: 'Select a GP practice' }, ...practices.filter((p) => p.pcnId).map((p) => ({ value: p.id, text: p.name, selected: p.id === selected }))];
}

/** A person as the API gives them. */
export function apiPerson(p: Person, consents: Consent[]) {
  return {
    id: p.id,
    pcnId: p.pcnId,
    gpPracticeId: p.gpPracticeId,
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
    nhsNumber: p.nhsNumber,
    address: p.address,
    postcode: p.postcode,
    phone: p.phone,
    email: p.email,
    preferredContact: p.preferredContact,
    communicationNeeds: p.communicationNeeds,
    version: p.version,
    consents: consents.map((c) => ({ kind: c.kind, organisationId: c.organisationId, fields: c.fields, given: c.given, recordedOn: c.recordedOn, recordedByName: c.recordedByName })),
  };
}

/** A person's record, consent and details, and the API's people. */
export function registerPeopleRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const caseload = allow(canUseCaseload);
  const page = { preHandler: caseload, schema: { hide: true, params: IdParams } };

  async function renderPerson(request: FastifyRequest, reply: FastifyReply, id: string, extra: { values?: Record<string, unknown>; errors?: FieldError[] } = {}) {
    const view = await viewPerson(db, actorOf(request), id, request.ip);
    return reply.page('social-prescribing/person.njk', {
      title: view.person.anonymisedAt ? 'Anonymised person' : `${view.person.givenName} ${view.person.familyName}`,
      backHref: '/social-prescribing',
      view,
      labels,
      needItems: needOptions(extra.values?.reasons),
      values: extra.values ?? {},
      errors: extra.errors,
    });
  }

  r.get('/social-prescribing/people/:id', page, async (request, reply) => renderPerson(request, reply, request.params.id));

  r.post('/social-prescribing/people/:id/consents', page, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: ConsentForm,
      input,
      save: (form) => recordConsent(db, actorOf(request), id, { kind: form.kind, given: form.given === 'yes' }, request.ip),
      redisplay: (errors) => renderPerson(request, reply, id, { values: input, errors }),
      done: () => ({ redirect: `/social-prescribing/people/${id}`, flash: 'Consent recorded.' }),
    });
  });

  r.post('/social-prescribing/people/:id/referrals', page, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: ExistingPersonReferralForm,
      input,
      save: (form) => referExistingPerson(db, actorOf(request), id, form, request.ip),
      redisplay: (errors) => renderPerson(request, reply, id, { values: input, errors }),
      done: (referralId) => ({ redirect: `/social-prescribing/referrals/${referralId}` }),
    });
  });

  async function renderPersonEdit(request: FastifyRequest, reply: FastifyReply, id: string, values?: Record<string, unknown>, errors?: FieldError[]) {
    const person = await personToEdit(db, actorOf(request), id, request.ip);
    const v = values ?? { ...personDetails(person), gpPracticeId: person.gpPracticeId, version: String(person.version) };
    return reply.page('social-prescribing/person-edit.njk', {
      title: `Change details for ${person.givenName} ${person.familyName}`,
      backHref: `/social-prescribing/people/${id}`,
      person,
      values: v,
      errors,
      conflict: reply.statusCode === 409,
      gpItems: await gpItems(db, v.gpPracticeId),
      contactItems: options(preferredContactNames, v.preferredContact ?? 'phone'),
    });
  }

  r.get('/social-prescribing/people/:id/edit', page, async (request, reply) => renderPersonEdit(request, reply, request.params.id));

  r.post('/social-prescribing/people/:id/edit', page, async (request, reply) => {
    const { id } = request.params;
    const input = formBody(request);
    return submitForm(reply, {
      schema: PersonEditForm,
      input,
      save: ({ version, ...details }) => updatePerson(db, actorOf(request), id, version, details, request.ip),
      redisplay: (errors) => renderPersonEdit(request, reply, id, input, errors),
      done: () => ({ redirect: `/social-prescribing/people/${id}`, flash: 'Details saved.' }),
    });
  });

  // ---- JSON API ------------------------------------------------------------------------------

  r.post(
    '/api/v1/social-prescribing/people',
    {
      preHandler: allow(canUseCaseload, apiRefusal),
      schema: { summary: 'Add a person to a PCN’s caseload', description: 'Refused with 409 and the possible duplicates when the person may already have a record (same NHS number, or same last name, date of birth and postcode), unless allowPossibleDuplicate is true.', tags, security, body: ApiPersonCreate, response: { 201: ApiPerson, 409: ApiDuplicates } },
    },
    async (request, reply) => {
      const { allowPossibleDuplicate, ...input } = request.body;
      try {
        const person = await createPerson(db, actorOf(request), input, { allowDuplicate: allowPossibleDuplicate, ip: request.ip });
        return reply.status(201).send(apiPerson(person, []));
      } catch (error) {
        if (!(error instanceof PossibleDuplicates)) throw error;
        return reply.status(409).type('application/problem+json').send({
          title: 'This person may already have a record',
          status: 409,
          detail: 'Use an existing record, or send allowPossibleDuplicate: true to create another.',
          possibleDuplicates: error.duplicates.map((d) => ({ id: d.id, givenName: d.givenName, familyName: d.familyName, dateOfBirth: d.dateOfBirth, postcode: d.postcode })),
        });
      }
    },
  );

  r.get(
    '/api/v1/social-prescribing/people/:id',
    { preHandler: allow(canUseCaseload, apiRefusal), schema: { summary: 'Read a person’s details and consent records', tags, security, params: IdParams, response: { 200: ApiPerson } } },
    async (request) => {
      const view = await viewPerson(db, actorOf(request), request.params.id, request.ip, 'api');
      return apiPerson(view.person, view.consents);
    },
  );
}
