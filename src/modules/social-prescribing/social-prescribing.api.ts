import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/http/app.ts';
import { forbidden, HttpProblem } from '../../platform/http/errors.ts';
import { requireApiActor } from '../identity/index.ts';
import * as sp from './social-prescribing.service.ts';
import { canUseCaseload } from './social-prescribing.policy.ts';
import { presentOnward } from './connect.service.ts';
import { ukToday } from './dates.ts';
import { ApiCase, ApiCaseload, ApiContactCreate, ApiDuplicates, ApiPerson, ApiPersonCreate, ApiReferral, ApiReferralCreate, ApiTriage, IdParams } from './social-prescribing.schemas.ts';
import type { CaseListRow, ConsentRow, PersonRow, ReferralRow } from './social-prescribing.repository.ts';
import { z } from 'zod';

const tags = ['Social prescribing'];
const security = [{ apiToken: [] }];

function person(p: PersonRow, consents: ConsentRow[]) {
  return {
    id: p.id,
    pcnId: p.pcn_id,
    gpPracticeId: p.gp_practice_id,
    givenName: p.given_name,
    familyName: p.family_name,
    dateOfBirth: p.date_of_birth,
    nhsNumber: p.nhs_number,
    address: p.address,
    postcode: p.postcode,
    phone: p.phone,
    email: p.email,
    preferredContact: p.preferred_contact,
    communicationNeeds: p.communication_needs,
    version: p.version,
    consents: consents.map((c) => ({ kind: c.kind, organisationId: c.organisation_id, fields: c.fields, given: c.given, recordedOn: c.recorded_on, recordedByName: c.recorded_by_name })),
  };
}

const caseSummary = (c: CaseListRow) => ({ id: c.id, personId: c.person_id, personName: c.person_name, status: c.status, linkWorkerId: c.link_worker_id, linkWorkerName: c.link_worker_name, openedOn: c.opened_on, nextDueOn: c.next_due_on });
const referral = (r: ReferralRow) => ({ id: r.id, personId: r.person_id, status: r.status, source: r.source, reasons: r.reasons, snomedCode: r.snomed_code, declineReason: r.decline_reason, caseId: r.case_id });

/** JSON API for the main records; the same rules and audit as the pages. */
export function registerSocialPrescribingApi(app: FastifyInstance, { db }: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const caseloadActor = (request: Parameters<typeof requireApiActor>[0], reply: Parameters<typeof requireApiActor>[1]) => {
    const actor = requireApiActor(request, reply);
    if (!canUseCaseload(actor)) throw forbidden('Only link workers and partnership admins can use the social prescribing API.');
    return actor;
  };

  api.post(
    '/api/v1/social-prescribing/people',
    { schema: { summary: 'Add a person to a PCN’s caseload', description: 'Refused with 409 and the possible duplicates when the person may already have a record (same NHS number, or same last name, date of birth and postcode), unless allowPossibleDuplicate is true.', tags, security, body: ApiPersonCreate, response: { 201: ApiPerson, 409: ApiDuplicates } } },
    async (request, reply) => {
      const actor = caseloadActor(request, reply);
      const { allowPossibleDuplicate, ...input } = request.body;
      const result = await sp.createPerson(db, actor, { ...input, gpPracticeId: input.gpPracticeId }, { allowDuplicate: allowPossibleDuplicate, ip: request.ip });
      if (!result.ok) {
        return reply.status(409).type('application/problem+json').send({
          title: 'This person may already have a record',
          status: 409,
          detail: 'Use an existing record, or send allowPossibleDuplicate: true to create another.',
          possibleDuplicates: result.duplicates.map((d) => ({ id: d.id, givenName: d.given_name, familyName: d.family_name, dateOfBirth: d.date_of_birth, postcode: d.postcode })),
        });
      }
      return reply.status(201).send(person(result.person, []));
    },
  );

  api.get('/api/v1/social-prescribing/people/:id', { schema: { summary: 'Read a person’s details and consent records', tags, security, params: IdParams, response: { 200: ApiPerson } } }, async (request, reply) => {
    const actor = caseloadActor(request, reply);
    const view = await sp.viewPerson(db, actor, request.params.id, request.ip);
    return person(view.person, view.consents);
  });

  api.get('/api/v1/social-prescribing/caseload', { schema: { summary: 'Your caseload: new referrals, contacts due today and overdue, open cases', tags, security, response: { 200: ApiCaseload } } }, async (request, reply) => {
    const actor = caseloadActor(request, reply);
    const load = await sp.caseload(db, actor);
    return {
      today: load.today,
      newReferrals: load.newReferrals.map((r) => ({ id: r.id, personId: r.person_id, personName: r.person_name, source: r.source, receivedOn: r.received_on, reasons: r.reasons })),
      dueToday: load.dueToday.map(caseSummary),
      overdue: load.overdue.map(caseSummary),
      openCases: load.openCases.map(caseSummary),
    };
  });

  api.get('/api/v1/social-prescribing/cases/:id', { schema: { summary: 'Read a case with its contacts, follow-ups and onward referrals', tags, security, params: IdParams, response: { 200: ApiCase } } }, async (request, reply) => {
    const actor = caseloadActor(request, reply);
    const v = await sp.viewCase(db, actor, request.params.id, request.ip);
    const today = ukToday();
    return {
      id: v.case.id,
      status: v.case.status,
      version: v.case.version,
      closedReason: v.case.closed_reason,
      openedOn: v.case.opened_on,
      closedOn: v.case.closed_on,
      linkWorkerId: v.case.link_worker_id,
      person: person(v.person, v.consents),
      contacts: v.contacts.map((c) => ({ id: c.id, method: c.method, outcome: c.outcome, contactedOn: c.contacted_on, durationMinutes: c.duration_minutes, notes: c.notes })),
      followUps: v.followUps.map((f) => ({ id: f.id, description: f.description, dueOn: f.due_on, repeatsWeekly: f.repeats_weekly, status: f.status })),
      onwardReferrals: v.onward.map((o) => presentOnward(o, today)).map((o) => ({ id: o.id, kind: o.kind, serviceName: o.service_name, organisationName: o.organisation_name, sentOn: o.sent_on, status: o.shownStatus, attendance: o.attendance })),
    };
  });

  api.post(
    '/api/v1/social-prescribing/cases/:id/contacts',
    { schema: { summary: 'Record a contact with the person', tags, security, params: IdParams, body: ApiContactCreate, response: { 201: z.object({ id: z.string() }) } } },
    async (request, reply) => {
      const actor = caseloadActor(request, reply);
      const id = await sp.recordContact(db, actor, request.params.id, request.body, request.ip);
      return reply.status(201).send({ id });
    },
  );

  api.post('/api/v1/social-prescribing/referrals', { schema: { summary: 'Refer a person already on the caseload', tags, security, body: ApiReferralCreate, response: { 201: ApiReferral } } }, async (request, reply) => {
    const actor = caseloadActor(request, reply);
    const id = await sp.referExistingPerson(db, actor, request.body.personId, request.body, request.ip);
    const view = await sp.viewReferral(db, actor, id, request.ip);
    return reply.status(201).send(referral(view.referral));
  });

  api.post(
    '/api/v1/social-prescribing/referrals/:id/triage',
    { schema: { summary: 'Accept or decline a referral', description: 'Accepting records SNOMED CT 871731000000106 and opens a case; declining because the person declined records 871711000000103.', tags, security, params: IdParams, body: ApiTriage, response: { 200: ApiReferral } } },
    async (request, reply) => {
      const actor = caseloadActor(request, reply);
      await sp.triageReferral(db, actor, request.params.id, request.body, request.ip);
      const view = await sp.viewReferral(db, actor, request.params.id, request.ip);
      if (!view) throw new HttpProblem(404, 'Referral not found');
      return referral(view.referral);
    },
  );
}
