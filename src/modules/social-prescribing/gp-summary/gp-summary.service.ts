import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { formatDate, ukToday } from '../../../platform/dates.ts';
import type { Mailer } from '../../../platform/mailer.ts';
import { refuse } from '../../../platform/refusal.ts';
import * as repo from './gp-summary.repository.ts';
import * as peopleRepo from '../people/people.repository.ts';
import type { Consent } from '../people/people.repository.ts';
import type { Measurement } from '../measures/measures.repository.ts';
import { listMeasurementsForCase } from '../measures/measures.repository.ts';
import type { Onward } from '../connect/connect.repository.ts';
import { auditPerson } from '../people/people.service.ts';
import { viewCase, type CaseView } from '../cases/cases.service.ts';
import { ons4Band, ons4Questions } from '../measures/scoring.ts';
import { formatNhsNumber } from '../nhs-number.ts';
import { attendanceNames, needName, onwardStatusNames } from '../labels.ts';
import { presentOnward } from '../connect/connect.service.ts';

/*
 * When a case closes and the person agreed to share outcomes with their GP, the link worker
 * sends the practice a summary: wellbeing and loneliness at the start and the end, the community
 * support they were connected to and how it went, and why the case closed. Common Ground cannot
 * reach the national routes into GP records (GP Connect, MESH), so it goes by email to the
 * practice's address in the directory, or the link worker sends it their usual way.
 */

type GpSummarySection = { heading: string; lines: string[] };

type GpSummary =
  | { state: 'open' }
  | { state: 'no_consent' | 'consent_refused'; consentOn: string | null; practiceName: string | null }
  | {
      state: 'ready';
      practice: { id: string; name: string; email: string | null } | null;
      consent: { on: string; by: string | null };
      subject: string;
      sections: GpSummarySection[];
      text: string;
      sentAt: Date | null;
      sentTo: string | null;
    };

/** The latest answer the person gave about sharing outcomes with their GP, if any. */
function outcomesConsent(consents: Consent[]): Consent | undefined {
  return consents.find((c) => c.kind === 'share_outcomes_with_gp');
}

const d = (date: string | null) => (date ? formatDate(date) : 'not recorded');

function measureLines(rows: Measurement[]): GpSummarySection[] {
  // The first measurement taken at the start, and the last taken at the end.
  const pick = (measure: string) => {
    const taken = rows.filter((r) => r.measure === measure);
    return { start: taken.find((r) => r.stage === 'start'), end: taken.filter((r) => r.stage === 'end').at(-1) };
  };
  const ons4 = pick('ons4');
  const ucla = pick('ucla3');
  const when = (m: Measurement | undefined) => (m ? ` (${formatDate(m.takenOn)})` : '');
  const takenOn = (m: Measurement | undefined) => (m ? formatDate(m.takenOn) : 'not taken');
  const ons4Answer = (m: Measurement | undefined, i: number) => (m ? `${m.answers[i]} (${ons4Band(ons4Questions[i].item, m.answers[i]).toLowerCase()})` : 'not recorded');
  const ons4Names = ['Life satisfaction', 'Feeling things are worthwhile', 'Happiness yesterday', 'Anxiety yesterday'];
  return [
    {
      heading: 'Personal wellbeing (ONS4, each 0 to 10; higher is better, except anxiety)',
      lines: [`Taken at the start: ${takenOn(ons4.start)}; at the end: ${takenOn(ons4.end)}`, ...ons4Names.map((name, i) => `${name}: start ${ons4Answer(ons4.start, i)}, end ${ons4Answer(ons4.end, i)}`)],
    },
    {
      heading: 'Loneliness (UCLA 3-item scale, 3 to 9; lower is less lonely)',
      lines: [`Start ${ucla.start ? `${ucla.start.score}${when(ucla.start)}` : 'not recorded'}, end ${ucla.end ? `${ucla.end.score}${when(ucla.end)}` : 'not recorded'}`],
    },
  ];
}

function onwardLines(onward: Onward[], on: string): string[] {
  if (!onward.length) return ['None'];
  return onward.map((o) => {
    const shown = presentOnward(o, on);
    const how = o.kind === 'signpost' ? `information given on ${formatDate(o.sentOn)}` : `referred on ${formatDate(o.sentOn)}: ${onwardStatusNames[shown.shownStatus]?.toLowerCase() ?? shown.shownStatus}`;
    const attended = o.attendance ? `; attendance: ${attendanceNames[o.attendance].toLowerCase()}${o.attendanceOn ? ` (${formatDate(o.attendanceOn)})` : ''}` : '';
    return `${o.serviceName} (${o.organisationName}), ${how}${attended}`;
  });
}

/** What the case page shows about sharing outcomes with the GP practice. */
export async function gpSummaryFor(db: Queryable, view: CaseView, on = ukToday()): Promise<GpSummary> {
  const c = view.case;
  if (c.status !== 'closed') return { state: 'open' };
  const p = view.person;
  const practice = p.gpPracticeId ? await peopleRepo.findOrganisation(db, p.gpPracticeId) : null;
  const consent = outcomesConsent(view.consents);
  if (!consent || !consent.given) return { state: consent ? 'consent_refused' : 'no_consent', consentOn: consent?.recordedOn ?? null, practiceName: practice?.name ?? null };
  const measurements = await listMeasurementsForCase(db, c.id);
  const identity = [`Name: ${p.givenName} ${p.familyName}`, `Date of birth: ${d(p.dateOfBirth)}`, `NHS number: ${p.nhsNumber ? formatNhsNumber(p.nhsNumber) : 'not recorded'}`];
  if (p.postcode) identity.push(`Postcode: ${p.postcode}`);
  const reasons = view.referral?.reasons.map(needName).join(', ');
  const sections: GpSummarySection[] = [
    { heading: 'Patient', lines: identity },
    {
      heading: 'Social prescribing',
      lines: [
        view.referral ? `Referred on ${formatDate(view.referral.receivedOn)}${reasons ? ` for: ${reasons}` : ''}` : 'Opened from an outreach call',
        `Case open from ${formatDate(c.openedOn)} to ${d(c.closedOn)}`,
        `Reason for closing: ${c.closedReason ?? 'not recorded'}`,
        `Link worker: ${c.linkWorkerName ?? 'not assigned'}`,
      ],
    },
    ...measureLines(measurements),
    { heading: 'Community support (onward referrals and their outcomes)', lines: onwardLines(view.onward, on) },
    { heading: 'Consent', lines: [`${p.givenName} agreed to share these outcomes with their GP on ${formatDate(consent.recordedOn)}${consent.recordedByName ? ` (recorded by ${consent.recordedByName})` : ''}.`] },
  ];
  const subject = `Social prescribing outcome summary: ${p.givenName} ${p.familyName}${p.nhsNumber ? `, NHS number ${formatNhsNumber(p.nhsNumber)}` : ''}`;
  const text = [
    `To ${practice?.name ?? 'the GP practice'}`,
    '',
    ...sections.flatMap((s) => [s.heading, ...s.lines.map((l) => `  ${l}`), '']),
    'Please add this to the patient’s record. Sent from Common Ground by the social prescribing link worker team.',
  ].join('\n');
  return {
    state: 'ready',
    practice: practice ? { id: practice.id, name: practice.name, email: practice.email } : null,
    consent: { on: consent.recordedOn, by: consent.recordedByName },
    subject,
    sections,
    text,
    sentAt: c.gpSummarySentAt,
    sentTo: c.gpSummarySentTo,
  };
}

/** What became of a summary: emailed, recorded as sent another way, or not emailed and why. */
export type GpSummaryOutcome = { how: 'email' | 'other'; emailed: boolean; notSentBecause?: 'not_configured' | 'failed' };

/**
 * Sends the summary to the practice's email address ('email'), or records that the link worker
 * sent it another way ('other'), such as into the practice's own system. Nothing is sent without
 * the person's consent, and the case says it was sent only once it was: an email that could not
 * go (no mail server, or it refused) leaves the case unsent and the message in the Email outbox.
 */
export async function sendGpSummary(db: Database, mailer: Mailer, actor: Actor, caseId: string, how: 'email' | 'other', ip: string | null): Promise<GpSummaryOutcome> {
  const view = await viewCase(db, actor, caseId, ip, 'gp_summary');
  const found = view.case;
  if (found.status !== 'closed') throw refuse.conflict('how', 'Close the case first. The outcome summary goes to the GP practice when the case closes.');
  const summary = await gpSummaryFor(db, view);
  if (summary.state !== 'ready') {
    throw refuse.conflict('how', `Nothing was sent to the GP practice. ${view.person.givenName} has not agreed to share outcomes with their GP. Record their consent on their record first if they agree.`);
  }
  const email = summary.practice?.email ?? null;
  if (how === 'email' && !email) throw refuse.conflict('how', 'There is no email address for the GP practice. Send the summary your usual way, then record that you sent it.');
  if (how === 'email') {
    const result = await mailer.send({ to: email!, subject: summary.subject, text: summary.text, related: { type: 'sp_case', id: caseId } });
    if (result.status !== 'sent') {
      await auditPerson(db, actor, 'gp_summary_not_emailed', found.personId, ip, { caseId, to: email, reason: result.reason });
      return { how, emailed: false, notSentBecause: result.reason };
    }
  }
  const sentTo = how === 'email' ? email! : 'Sent by the link worker outside Common Ground';
  await db.transaction(async (tx) => {
    await repo.markGpSummarySent(tx, caseId, sentTo);
    await auditPerson(tx, actor, 'outcomes_shared_with_gp', found.personId, ip, { caseId, gpPracticeId: summary.practice?.id ?? null, how, to: how === 'email' ? email : null });
  });
  return { how, emailed: how === 'email' };
}
