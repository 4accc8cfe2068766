import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/http/app.ts';
import { validateForm, type FieldError } from '../../platform/http/forms.ts';
import { withPublicFormLimit } from '../../platform/http/public-form-limit.ts';
import { requirePermission, requireSignIn } from '../identity/index.ts';
import * as sp from './social-prescribing.service.ts';
import { canRefer } from './social-prescribing.policy.ts';
import {
  CaseStatusForm,
  ConsentForm,
  ContactForm,
  ExistingPersonReferralForm,
  FollowUpForm,
  GpSummaryForm,
  MergeForm,
  PersonEditForm,
  ReassignForm,
  SelfReferralForm,
  StaffReferralForm,
  TriageForm,
} from './social-prescribing.schemas.ts';
import { asFormErrors, formValues, requireCaseload } from './route-helpers.ts';
import { labels, needOptions, options, contactMethodNames, contactOutcomeNames, declineReasonNames, preferredContactNames, caseStatusNames } from './labels.ts';
import { presentOnward } from './connect.service.ts';
import { ukToday } from './dates.ts';
import { gpSummaryFor, sendGpSummary } from './gp-summary.service.ts';
import { mergePeople, previewMerge } from './merge.service.ts';

/** Self-referrals from one address: room for a few corrected mistakes, too few for a flood. */
export const SELF_REFERRALS_PER_WINDOW = 10;
export const SELF_REFERRAL_WINDOW = '60 minutes';

/** Pages for the link worker's day: caseload, referrals in and triage, people, cases, contacts. */
export function registerCaseworkRoutes(app: FastifyInstance, { db, mailer }: AppContext) {
  const page = { schema: { hide: true } };

  app.get('/social-prescribing', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const everyone = (request.query as Record<string, unknown>).view === 'team';
    const load = await sp.caseload(db, request.actor!, { everyone });
    return reply.page('social-prescribing/caseload.njk', { title: 'Caseload', width: 'full', load, everyone, labels, flash: flashFor(request) });
  });

  // ---- referrals in -------------------------------------------------------------------------

  async function gpItems(selected: unknown) {
    const practices = await sp.listGpPractices(db);
    return [{ value: '', text: 'Select a GP practice' }, ...practices.filter((p) => p.pcn_id).map((p) => ({ value: p.id, text: p.name, selected: p.id === selected }))];
  }

  async function renderStaffReferral(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: FieldError[], duplicates?: unknown[]) {
    return reply.page('social-prescribing/refer.njk', {
      title: 'Refer someone to social prescribing',
      values,
      errors,
      duplicates,
      gpItems: await gpItems(values.gpPracticeId),
      needItems: needOptions(values.reasons),
      contactItems: options(preferredContactNames, values.preferredContact ?? 'phone'),
      labels,
    });
  }

  app.get('/social-prescribing/refer', page, async (request, reply) => {
    if (!requirePermission(request, reply, canRefer)) return reply;
    return renderStaffReferral(request, reply, {});
  });

  app.post('/social-prescribing/refer', page, async (request, reply) => {
    if (!requirePermission(request, reply, canRefer)) return reply;
    const values = formValues(request.body);
    const form = validateForm(StaffReferralForm, values);
    if (!form.ok) return renderStaffReferral(request, reply.status(422), values, form.errors);
    try {
      const result = await sp.referNewPerson(db, request.actor!, form.data, request.ip);
      if (!result.ok) return renderStaffReferral(request, reply.status(409), values, undefined, result.duplicates);
      return reply.redirect(`/social-prescribing/refer/sent?id=${result.referralId}`, 303);
    } catch (error) {
      const f = asFormErrors(error, 'gpPracticeId');
      return renderStaffReferral(request, reply.status(f.status), values, f.errors);
    }
  });

  app.get('/social-prescribing/refer/sent', page, async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    return reply.page('social-prescribing/referral-sent.njk', { title: 'Referral sent', self: false });
  });

  async function renderSelfReferral(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: FieldError[]) {
    return reply.page('social-prescribing/refer-yourself.njk', {
      title: 'Ask for support from a social prescribing link worker',
      values,
      errors,
      gpItems: await gpItems(values.gpPracticeId),
      needItems: needOptions(values.reasons),
      contactItems: options(preferredContactNames, values.preferredContact ?? 'phone'),
    });
  }

  app.get('/social-prescribing/refer-yourself', page, async (request, reply) => renderSelfReferral(request, reply, {}));

  withPublicFormLimit(app, { max: SELF_REFERRALS_PER_WINDOW, window: SELF_REFERRAL_WINDOW, title: 'You have sent too many requests for support', what: 'requests' }, (scoped, rateLimit) => {
    scoped.post('/social-prescribing/refer-yourself', { schema: { hide: true }, config: { rateLimit } }, async (request, reply) => {
      const values = formValues(request.body);
      const form = validateForm(SelfReferralForm, values);
      if (!form.ok) return renderSelfReferral(request, reply.status(422), values, form.errors);
      try {
        await sp.selfRefer(db, form.data, request.ip);
      } catch (error) {
        const f = asFormErrors(error, 'gpPracticeId');
        return renderSelfReferral(request, reply.status(f.status), values, f.errors);
      }
      return reply.redirect('/social-prescribing/refer-yourself/sent', 303);
    });
  });

  app.get('/social-prescribing/refer-yourself/sent', page, async (request, reply) => reply.page('social-prescribing/referral-sent.njk', { title: 'We have your request', self: true }));

  async function renderTriage(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown> = {}, errors?: FieldError[]) {
    const view = await sp.viewReferral(db, request.actor!, id, request.ip);
    return reply.page('social-prescribing/referral.njk', {
      title: `Referral for ${view.person.given_name} ${view.person.family_name}`,
      backHref: '/social-prescribing',
      view,
      values,
      errors,
      labels,
      declineItems: options(declineReasonNames, values.declineReason),
      teamItems: [{ value: '', text: 'Me' }, ...view.team.map((t) => ({ value: t.id, text: t.name, selected: values.linkWorkerId === t.id }))],
    });
  }

  app.get('/social-prescribing/referrals/:id', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    return renderTriage(request, reply, (request.params as { id: string }).id);
  });

  app.post('/social-prescribing/referrals/:id/triage', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const id = (request.params as { id: string }).id;
    const values = formValues(request.body);
    const form = validateForm(TriageForm, values);
    if (!form.ok) return renderTriage(request, reply.status(422), id, values, form.errors);
    try {
      const { caseId } = await sp.triageReferral(db, request.actor!, id, form.data, request.ip);
      return reply.redirect(caseId ? `/social-prescribing/cases/${caseId}?done=accepted` : '/social-prescribing?done=declined', 303);
    } catch (error) {
      const f = asFormErrors(error, 'decision');
      return renderTriage(request, reply.status(f.status), id, values, f.errors);
    }
  });

  // ---- people ------------------------------------------------------------------------------

  async function renderPerson(request: FastifyRequest, reply: FastifyReply, id: string, extra: Record<string, unknown> = {}) {
    const view = await sp.viewPerson(db, request.actor!, id, request.ip);
    return reply.page('social-prescribing/person.njk', {
      title: view.person.anonymised_at ? 'Anonymised person' : `${view.person.given_name} ${view.person.family_name}`,
      backHref: '/social-prescribing',
      view,
      labels,
      needItems: needOptions((extra.values as Record<string, unknown> | undefined)?.reasons),
      flash: flashFor(request),
      ...extra,
    });
  }

  app.get('/social-prescribing/people/:id', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    return renderPerson(request, reply, (request.params as { id: string }).id);
  });

  app.post('/social-prescribing/people/:id/consents', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const id = (request.params as { id: string }).id;
    const values = formValues(request.body);
    const form = validateForm(ConsentForm, values);
    if (!form.ok) return renderPerson(request, reply.status(422), id, { values, errors: form.errors });
    await sp.recordConsent(db, request.actor!, id, { kind: form.data.kind, given: form.data.given === 'yes' }, request.ip);
    return reply.redirect(`/social-prescribing/people/${id}?done=consent`, 303);
  });

  app.post('/social-prescribing/people/:id/referrals', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const id = (request.params as { id: string }).id;
    const values = formValues(request.body);
    const form = validateForm(ExistingPersonReferralForm, values);
    if (!form.ok) return renderPerson(request, reply.status(422), id, { values, errors: form.errors });
    const referralId = await sp.referExistingPerson(db, request.actor!, id, form.data, request.ip);
    return reply.redirect(`/social-prescribing/referrals/${referralId}`, 303);
  });

  // ---- merging two records of the same person ------------------------------------------------

  async function renderMerge(request: FastifyRequest, reply: FastifyReply, id: string, duplicateId: string, errors?: FieldError[]) {
    const view = await previewMerge(db, request.actor!, id, duplicateId, request.ip);
    return reply.page('social-prescribing/merge.njk', {
      title: `Merge two records for ${view.keep.given_name} ${view.keep.family_name}`,
      width: 'full',
      backHref: `/social-prescribing/people/${id}`,
      view,
      errors,
      labels,
    });
  }

  app.get('/social-prescribing/people/:id/merge', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const duplicateId = String((request.query as Record<string, unknown>).with ?? '');
    return renderMerge(request, reply, (request.params as { id: string }).id, duplicateId);
  });

  app.post('/social-prescribing/people/:id/merge', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const id = (request.params as { id: string }).id;
    const values = formValues(request.body);
    const form = validateForm(MergeForm, values);
    if (!form.ok) return renderMerge(request, reply.status(422), id, String(values.duplicateId ?? ''), form.errors);
    try {
      await mergePeople(db, request.actor!, id, form.data.duplicateId, form.data.version, request.ip);
    } catch (error) {
      const f = asFormErrors(error, 'confirmed');
      return renderMerge(request, reply.status(f.status), id, form.data.duplicateId, f.errors);
    }
    return reply.redirect(`/social-prescribing/people/${id}?done=merged`, 303);
  });

  async function renderPersonEdit(request: FastifyRequest, reply: FastifyReply, id: string, values?: Record<string, unknown>, errors?: FieldError[], conflict = false) {
    const person = await sp.personForTeam(db, request.actor!, id);
    await sp.auditPerson(db, request.actor!, 'viewed', id, request.ip, { part: 'edit_form' });
    const v = values ?? {
      ...sp.personDetails(person),
      gpPracticeId: person.gp_practice_id,
      version: String(person.version),
    };
    return reply.page('social-prescribing/person-edit.njk', {
      title: `Change details for ${person.given_name} ${person.family_name}`,
      backHref: `/social-prescribing/people/${id}`,
      person,
      values: v,
      errors,
      conflict,
      gpItems: await gpItems(v.gpPracticeId),
      contactItems: options(preferredContactNames, v.preferredContact ?? 'phone'),
    });
  }

  app.get('/social-prescribing/people/:id/edit', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    return renderPersonEdit(request, reply, (request.params as { id: string }).id);
  });

  app.post('/social-prescribing/people/:id/edit', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    const id = (request.params as { id: string }).id;
    const values = formValues(request.body);
    const form = validateForm(PersonEditForm, values);
    if (!form.ok) return renderPersonEdit(request, reply.status(422), id, values, form.errors);
    try {
      const { version, ...input } = form.data;
      await sp.updatePerson(db, request.actor!, id, version, input, request.ip);
    } catch (error) {
      const f = asFormErrors(error, 'givenName');
      return renderPersonEdit(request, reply.status(f.status), id, values, f.errors, f.status === 409);
    }
    return reply.redirect(`/social-prescribing/people/${id}?done=saved`, 303);
  });

  // ---- cases -------------------------------------------------------------------------------

  async function renderCase(request: FastifyRequest, reply: FastifyReply, id: string, extra: { values?: Record<string, unknown>; errors?: FieldError[]; form?: string; conflict?: boolean } = {}) {
    const view = await sp.viewCase(db, request.actor!, id, request.ip);
    const values = extra.values ?? {};
    const today = ukToday();
    const gpSummary = await gpSummaryFor(db, view, today);
    return reply.page('social-prescribing/case.njk', {
      title: `Case: ${view.person.given_name} ${view.person.family_name}`,
      width: 'full',
      backHref: '/social-prescribing',
      view,
      today,
      gpSummary,
      onward: view.onward.map((o) => presentOnward(o, today)),
      labels,
      form: extra.form,
      conflict: extra.conflict,
      values,
      errors: extra.errors,
      flash: flashFor(request),
      statusItems: options(caseStatusNames, extra.form === 'status' ? values.status : view.case.status),
      teamItems: view.team.map((t) => ({ value: t.id, text: t.name, selected: (extra.form === 'reassign' ? values.linkWorkerId : view.case.link_worker_id) === t.id })),
      methodItems: options(contactMethodNames, extra.form === 'contact' ? (values.method ?? 'phone') : 'phone'),
      outcomeItems: options(contactOutcomeNames, extra.form === 'contact' ? values.outcome : undefined),
    });
  }

  app.get('/social-prescribing/cases/:id', page, async (request, reply) => {
    if (!requireCaseload(request, reply)) return reply;
    return renderCase(request, reply, (request.params as { id: string }).id);
  });

  /** One pattern for every form on the case page: validate, call the service, or redisplay the page with the form's errors and what was typed. */
  function casePost<S extends Parameters<typeof validateForm>[0]>(path: string, formName: string, schema: S, fallbackField: string, run: (request: FastifyRequest, id: string, data: ReturnType<typeof validateForm<S>> & { ok: true }) => Promise<string>) {
    app.post(`/social-prescribing/cases/:id/${path}`, page, async (request, reply) => {
      if (!requireCaseload(request, reply)) return reply;
      const id = (request.params as { id: string }).id;
      const values = formValues(request.body);
      const form = validateForm(schema, values);
      if (!form.ok) return renderCase(request, reply.status(422), id, { values, errors: form.errors, form: formName });
      try {
        const done = await run(request, id, form as ReturnType<typeof validateForm<S>> & { ok: true });
        return reply.redirect(`/social-prescribing/cases/${id}?done=${done}`, 303);
      } catch (error) {
        const f = asFormErrors(error, fallbackField);
        return renderCase(request, reply.status(f.status), id, { values, errors: f.errors, form: formName, conflict: f.status === 409 });
      }
    });
  }

  casePost('status', 'status', CaseStatusForm, 'status', async (request, id, { data }) => {
    await sp.changeCaseStatus(db, request.actor!, id, data, request.ip);
    return 'status';
  });
  casePost('gp-summary', 'gpSummary', GpSummaryForm, 'how', async (request, id, { data }) => {
    await sendGpSummary(db, mailer, request.actor!, id, data.how, request.ip);
    return data.how === 'email' ? 'gp-summary-emailed' : 'gp-summary-recorded';
  });
  casePost('reassign', 'reassign', ReassignForm, 'linkWorkerId', async (request, id, { data }) => {
    await sp.reassignCase(db, request.actor!, id, data, request.ip);
    return 'reassigned';
  });
  casePost('contacts', 'contact', ContactForm, 'contactedOn', async (request, id, { data }) => {
    await sp.recordContact(db, request.actor!, id, data, request.ip);
    return 'contact';
  });
  casePost('follow-ups', 'followUp', FollowUpForm, 'dueOn', async (request, id, { data }) => {
    await sp.addFollowUp(db, request.actor!, id, { description: data.description, dueOn: data.dueOn, repeatsWeekly: data.repeatsWeekly === 'yes' }, request.ip);
    return 'follow-up';
  });

  for (const action of ['done', 'stop'] as const) {
    app.post(`/social-prescribing/follow-ups/:id/${action}`, page, async (request, reply) => {
      if (!requireCaseload(request, reply)) return reply;
      const caseId = await sp.completeFollowUp(db, request.actor!, (request.params as { id: string }).id, action, request.ip);
      const back = (request.body as Record<string, unknown> | undefined)?.returnTo === 'caseload' ? '/social-prescribing?done=follow-up' : `/social-prescribing/cases/${caseId}?done=follow-up-${action}`;
      return reply.redirect(back, 303);
    });
  }
}

const flashes: Record<string, string> = {
  accepted: 'Referral accepted and case opened. SNOMED CT 871731000000106 “Referral to social prescribing service” recorded.',
  declined: 'Referral declined.',
  status: 'Case status saved.',
  reassigned: 'Case reassigned.',
  contact: 'Contact recorded.',
  'follow-up': 'Follow-up saved.',
  'follow-up-done': 'Follow-up done.',
  'follow-up-stop': 'Follow-up stopped.',
  consent: 'Consent recorded.',
  merged: 'The two records are now one. Cases, contacts, consents and referrals from the other record are on this one.',
  'gp-summary-emailed': 'Outcome summary emailed to the GP practice.',
  'gp-summary-recorded': 'Recorded that you sent the outcome summary to the GP practice.',
  saved: 'Details saved.',
  plan: 'Plan saved.',
  connected: 'Saved. The organisation can now see the referral in its inbox.',
  signposted: 'Signposting recorded.',
  measure: 'Measure recorded.',
  call: 'Call recorded.',
  answered: 'Answer sent to the link worker.',
  attendance: 'Attendance recorded.',
  loaded: 'Measure loaded.',
  anonymised: 'The record is anonymised.',
};

export function flashFor(request: FastifyRequest): string | undefined {
  const done = (request.query as Record<string, unknown> | undefined)?.done;
  return typeof done === 'string' ? flashes[done] : undefined;
}
