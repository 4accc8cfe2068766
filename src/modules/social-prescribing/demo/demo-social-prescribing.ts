import crypto from 'node:crypto';
import type { Database } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { needs } from '../../directory/index.ts';
import { getOrganisationDetail } from '../../directory/index.ts';
import { addDays, ukToday } from '../../../platform/dates.ts';
import { testNhsNumber } from '../nhs-number.ts';
import { SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING, SNOMED_SOCIAL_PRESCRIBING_DECLINED } from '../referrals/referrals.service.ts';
import * as demo from './demo.repository.ts';
import { loadDemoCohort } from './demo-cohort.ts';
import { refreshCaseSummariesOfPcn } from '../cases/cases.repository.ts';

/*
 * Synthetic social prescribing data: invented names from our own lists, West Yorkshire-style
 * postcodes, NHS numbers from the 999 range reserved for testing (they pass the check digit),
 * Ofcom drama phone numbers and example.org email addresses. The same seed gives the same people.
 */

const givenNames = ['Ada', 'Bram', 'Cerys', 'Dov', 'Effie', 'Fenn', 'Gwen', 'Hal', 'Ines', 'Jory', 'Kit', 'Lark', 'Maeve', 'Nell', 'Orrin', 'Pim', 'Quill', 'Rhian', 'Sol', 'Tamsin', 'Ulla', 'Vida', 'Wren', 'Xanthe', 'Yusra', 'Zeb', 'Agnes', 'Basil', 'Clem', 'Dilys', 'Elowen', 'Fitz', 'Greer', 'Hester', 'Ivo', 'Juno', 'Kester', 'Linnet', 'Mabli', 'Nye'];
const familyNames = ['Ashdown', 'Brackwell', 'Coldharbour', 'Dunmere', 'Elderfield', 'Fallowby', 'Grisedale', 'Hollinbrook', 'Ingleby', 'Jessop-Vale', 'Kettlewick', 'Lowmoor', 'Marrowby', 'Netherwood', 'Oakenshaw', 'Pennyfold', 'Quarrystone', 'Rushworth', 'Saltonby', 'Thornleigh', 'Underbank', 'Varleigh', 'Whinmoor', 'Yarrowdale', 'Brindlecombe', 'Castleford-Ward', 'Dewbury', 'Heddonfield'];
const streets = ['Mill Lane', 'Chapel Street', 'Beck Side', 'Moor View', 'Station Road', 'Weavers Row', 'Canal Walk', 'Church Bank'];
const whatMatters = [
  'Getting out of the house more and seeing people. I used to love dancing.',
  'Keeping my independence and looking after my garden.',
  'Feeling less anxious about money and being able to treat the grandchildren.',
  'Walking my dog again without getting out of breath.',
  'Having someone to talk to since my husband died.',
];
const goalsText = ['Go to a group once a week', 'Sort out my benefits', 'Walk to the park and back', 'Learn to video call my daughter', 'Join a choir'];
const notes = ['Lives alone; family far away.', 'Recently bereaved.', 'Struggling since redundancy.', 'Carer for partner with dementia.', 'Rarely leaves the house.', ''];
const contactNotes = ['Talked through what matters to them.', 'Left a voicemail.', 'Agreed to try the lunch club.', 'Feeling a bit brighter this week.', 'Discussed benefits advice options.'];

/** mulberry32: small, seeded, the same everywhere. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)],
  };
}

/** Ids from the seed, so the demo is the same on every machine. */
function idMaker(seed: number) {
  let n = 0;
  return () => {
    const h = crypto.createHash('sha1').update(`sp-demo-${seed}-${n++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

export type GenerateOptions = {
  people: number;
  referrals: number;
  contacts: number;
  pcnId: string;
  practiceIds: string[];
  linkWorkers: { id: string; name: string }[];
  referrerOrganisationId: string | null;
  now?: Date;
  seed?: number;
  /** Where this batch's synthetic NHS numbers start, so batches do not share numbers. */
  nhsOffset?: number;
  /** How many of the latest referrals are still waiting to be triaged (otherwise about 6% at random). */
  newReferrals?: number;
};

export type Generated = {
  personIds: string[];
  openCaseIds: string[];
  caseByPerson: Map<string, { caseId: string; referralReasons: string[] }>;
  closedCases: { caseId: string; personId: string; openedOn: string; closedOn: string }[];
};

/**
 * People, referrals (with triage), cases, contacts and follow-ups in bulk. Used by the demo (a
 * few dozen people) and the benchmark (tens of thousands).
 */
export async function generateCasework(db: Database, o: GenerateOptions): Promise<Generated> {
  const r = seeded(o.seed ?? 20_260_401);
  const id = idMaker(o.seed ?? 20_260_401);
  const today = ukToday(o.now ?? new Date());
  // Something that has happened is never dated after today.
  const notAfterToday = (date: string) => (date > today ? today : date);
  const people: unknown[][] = [];
  const consents: unknown[][] = [];
  const referrals: unknown[][] = [];
  const referralIds: string[] = [];
  const referralReasons: string[] = [];
  const cases: unknown[][] = [];
  const caseRows: { id: string; person: string; worker: { id: string; name: string } | null; opened: string; open: boolean; closedOn: string | null }[] = [];
  const caseByPerson = new Map<string, { caseId: string; referralReasons: string[] }>();
  const personIds: string[] = [];

  for (let i = 0; i < o.people; i++) {
    const pid = id();
    personIds.push(pid);
    const given = r.pick(givenNames);
    const family = r.pick(familyNames);
    const dob = `${r.int(1932, 2004)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
    const postcode = `WY${r.int(1, 9)} ${r.int(1, 9)}${String.fromCharCode(65 + r.int(0, 25))}${String.fromCharCode(65 + r.int(0, 25))}`;
    people.push([
      pid,
      o.pcnId,
      r.pick(o.practiceIds),
      given,
      family,
      dob,
      testNhsNumber((o.nhsOffset ?? 0) + i * 3),
      `${r.int(1, 120)} ${r.pick(streets)}, Wyndale`,
      postcode,
      r.next() < 0.7 ? `07700 900${String(r.int(0, 999)).padStart(3, '0')}` : `01632 960${String(r.int(0, 999)).padStart(3, '0')}`,
      r.next() < 0.4 ? `${given.toLowerCase()}.${family.toLowerCase()}@example.org` : null,
      r.pick(['phone', 'phone', 'text', 'email', 'letter']),
      r.next() < 0.1 ? r.pick(['Needs a Polish interpreter', 'Hard of hearing: face to face or text', 'Large print letters']) : null,
      r.next() < 0.3 ? r.pick(whatMatters) : null,
    ]);
    consents.push([id(), pid, 'contact', addDays(today, -r.int(1, 300)), 'Demo data']);
  }

  for (let i = 0; i < o.referrals; i++) {
    const pid = personIds[i % personIds.length];
    const rid = id();
    const received = addDays(today, -r.int(0, 330));
    const roll = r.next();
    // Asked for, the waiting referrals are the only referral of the last few people, so triage opens their first case.
    const waiting = o.newReferrals === undefined ? roll < 0.06 : i >= o.people - o.newReferrals && i < o.people;
    const status = waiting ? 'new' : roll < 0.86 ? 'accepted' : 'declined';
    const declineReason = status === 'declined' ? r.pick(['person_declined', 'not_eligible', 'could_not_contact']) : null;
    const snomed = status === 'accepted' ? SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING : declineReason === 'person_declined' ? SNOMED_SOCIAL_PRESCRIBING_DECLINED : null;
    const source = r.pick(['gp', 'gp', 'gp', 'other_organisation', 'self']);
    const reasons = [...new Set([r.pick(needs).id, ...(r.next() < 0.4 ? [r.pick(needs).id] : [])])];
    // Recent referrals are the ones still waiting.
    const receivedOn = status === 'new' ? addDays(today, -r.int(0, 6)) : received;
    referrals.push([rid, pid, o.pcnId, source, source === 'gp' ? o.referrerOrganisationId : null, source === 'self' ? 'Self-referral' : 'Demo referrer', r.pick(notes) || null, receivedOn, status, declineReason, snomed, status === 'new' ? null : notAfterToday(addDays(receivedOn, r.int(0, 3)))]);
    referralIds.push(rid);
    referralReasons.push(reasons.join(','));
    if (status === 'accepted') {
      const cid = id();
      const opened = notAfterToday(addDays(receivedOn, r.int(0, 3)));
      const age = Math.round((Date.parse(today) - Date.parse(opened)) / 86_400_000);
      const s = age > 120 && r.next() < 0.7 ? 'closed' : r.pick(['new', 'contacting', 'active', 'active', 'active', 'on_hold']);
      const worker = o.linkWorkers.length ? o.linkWorkers[i % o.linkWorkers.length] : null;
      const closedOn = s === 'closed' ? addDays(opened, r.int(60, 110)) : null;
      cases.push([cid, pid, rid, o.pcnId, worker?.id ?? null, s, s === 'closed' ? r.pick(['Goals met', 'Moved away', 'Connected to a group and doing well']) : null, opened, closedOn]);
      caseRows.push({ id: cid, person: pid, worker, opened, open: s !== 'closed', closedOn });
      caseByPerson.set(pid, { caseId: cid, referralReasons: reasons });
    }
  }

  const contacts: unknown[][] = [];
  for (let i = 0; i < o.contacts && caseRows.length; i++) {
    const c = caseRows[i % caseRows.length];
    const span = Math.max(0, Math.round((Date.parse(today) - Date.parse(c.opened)) / 86_400_000));
    contacts.push([id(), c.id, c.person, r.pick(['phone', 'phone', 'video', 'face_to_face', 'home_visit']), r.next() < 0.25 ? 'attempted' : 'made', addDays(c.opened, r.int(0, Math.min(span, 120))), r.int(5, 60), r.pick(contactNotes), c.worker?.id ?? null, c.worker?.name ?? 'Demo link worker']);
  }

  const followUps: unknown[][] = [];
  for (const c of caseRows.filter((x) => x.open)) {
    const roll = r.next();
    if (roll < 0.25) followUps.push([id(), c.id, 'Weekly wellbeing call', addDays(today, r.int(-2, 6)), true, 'open']);
    else if (roll < 0.6) followUps.push([id(), c.id, r.pick(['Check how the first session went', 'Call back about benefits form', 'Review goals']), addDays(today, r.int(-5, 14)), false, 'open']);
  }

  await db.transaction(async (tx) => {
    await demo.insertPeople(tx, people);
    await demo.insertConsents(tx, consents);
    await demo.insertReferrals(tx, referrals);
    await demo.setReferralReasons(tx, referralIds, referralReasons);
    await demo.insertCases(tx, cases);
    await demo.insertContacts(tx, contacts);
    await demo.insertFollowUps(tx, followUps);
    await refreshCaseSummariesOfPcn(tx, o.pcnId);
  });
  return {
    personIds,
    openCaseIds: caseRows.filter((c) => c.open).map((c) => c.id),
    caseByPerson,
    closedCases: caseRows.filter((c) => c.closedOn).map((c) => ({ caseId: c.id, personId: c.person, openedOn: c.opened, closedOn: c.closedOn! })),
  };
}

export type SocialPrescribingAnchors = { pcn: string; gpPractice: string; charity: string };

/**
 * The demo partnership's social prescribing: about 60 people in the demo PCN with referrals,
 * cases, contacts and follow-ups, goals and plans, onward referrals to the demo charity (accepted
 * with attendance, waiting, unanswered), outcome measures, and an outreach cohort. Call after
 * the demo users exist, so cases go to the demo link worker.
 */
export async function loadDemoSocialPrescribing(db: Database, anchors: SocialPrescribingAnchors, options: { now?: Date } = {}): Promise<void> {
  const today = ukToday(options.now ?? new Date());
  const notAfterToday = (date: string) => (date > today ? today : date);
  const r = seeded(7_2026);
  const id = idMaker(7_2026);
  const practices = await demo.practicesOf(db, anchors.pcn);
  const linkWorkers = await demo.linkWorkersOf(db, anchors.pcn);
  const generated = await generateCasework(db, {
    people: 60,
    referrals: 70,
    contacts: 180,
    pcnId: anchors.pcn,
    practiceIds: practices.length ? practices.map((p) => p.id) : [anchors.gpPractice],
    linkWorkers,
    referrerOrganisationId: practices[0]?.id ?? anchors.gpPractice,
    now: options.now,
    // A few referrals waiting for the link worker's triage, as on any morning.
    newReferrals: 4,
  });

  // People live near their PCN, at postcodes the directory knows, so "find support" can search by distance.
  const near = await demo.postcodesNear(db, practices[0]?.id ?? anchors.gpPractice, 400);
  if (near.length) await demo.setPostcodes(db, generated.personIds, generated.personIds.map((_, i) => near[(i * 7) % near.length]));

  const charity = await getOrganisationDetail(db, anchors.charity);
  const services = charity?.services.filter((s) => s.status === 'active') ?? [];
  const onward: unknown[][] = [];
  const goals: unknown[][] = [];
  const actions: unknown[][] = [];
  const measurements: Parameters<typeof demo.insertMeasurements>[1] = [];
  let n = 0;
  for (const [personId, c] of generated.caseByPerson) {
    if (!generated.openCaseIds.includes(c.caseId)) continue;
    n++;
    goals.push([id(), c.caseId, r.pick(goalsText), n % 4 === 0 ? 'achieved' : 'working_on']);
    actions.push([id(), c.caseId, 'Phone the lunch club to ask about transport', n % 2 ? 'The person' : 'Link worker', addDays(today, r.int(-7, 14)), n % 3 === 0 ? addDays(today, -1) : null]);
    if (services.length && n <= 24) {
      const service = services[n % services.length];
      const sentOn = addDays(today, -[2, 9, 16, 30, 45, 60][n % 6]);
      const state = n % 6 === 2 ? 'sent' : n % 6 === 5 ? 'declined' : n % 6 === 1 ? 'sent' : 'accepted';
      const attendance = state === 'accepted' ? r.pick(['started', 'attending', 'attending', 'stopped', 'did_not_attend']) : null;
      onward.push([id(), c.caseId, personId, 'refer', service.id, service.name, anchors.charity, charity!.organisation.name, JSON.stringify({ name: `Demo person ${n}`, reasons: needs.filter((x) => c.referralReasons.includes(x.id)).map((x) => x.name) }), sentOn, state, state === 'sent' ? null : notAfterToday(addDays(sentOn, 3)), attendance, attendance ? notAfterToday(addDays(sentOn, 10)) : null]);
      await demo.insertShareConsent(db, { id: id(), person_id: personId, organisation_id: anchors.charity, fields: ['name', 'reasons'], recorded_on: sentOn, recorded_by_name: 'Demo data' });
    }
    if (n <= 30) {
      const start = [r.int(2, 5), r.int(3, 6), r.int(2, 6), r.int(5, 9)];
      const startDate = addDays(today, -r.int(50, 90));
      measurements.push({ id: id(), case_id: c.caseId, person_id: personId, measure: 'ons4', stage: 'start', taken_on: startDate, answers: start, score: null });
      const uclaStart = [r.int(2, 3), r.int(2, 3), r.int(1, 3)];
      measurements.push({ id: id(), case_id: c.caseId, person_id: personId, measure: 'ucla3', stage: 'start', taken_on: startDate, answers: uclaStart, score: uclaStart[0] + uclaStart[1] + uclaStart[2] });
      if (n % 3 !== 0) {
        const review = start.map((s, i) => Math.max(0, Math.min(10, i === 3 ? s - r.int(0, 3) : s + r.int(0, 3))));
        const uclaReview = uclaStart.map((s) => Math.max(1, s - r.int(0, 1)));
        measurements.push({ id: id(), case_id: c.caseId, person_id: personId, measure: 'ons4', stage: 'review', taken_on: addDays(today, -r.int(1, 20)), answers: review, score: null });
        measurements.push({ id: id(), case_id: c.caseId, person_id: personId, measure: 'ucla3', stage: 'review', taken_on: addDays(today, -r.int(1, 20)), answers: uclaReview, score: uclaReview[0] + uclaReview[1] + uclaReview[2] });
      }
    }
  }

  // Closed cases whose people agreed (or, for one, did not agree) to share outcomes with their GP,
  // with wellbeing and loneliness at the start and the end, for the outcome summary to the practice.
  const outcomeConsents: unknown[][] = [];
  for (const [k, c] of generated.closedCases.slice(0, 4).entries()) {
    outcomeConsents.push([id(), c.personId, 'share_outcomes_with_gp', c.openedOn, 'Demo data', k !== 3]);
    const start = [r.int(2, 5), r.int(3, 6), r.int(2, 6), r.int(5, 9)];
    const end = start.map((v, i) => Math.max(0, Math.min(10, i === 3 ? v - r.int(1, 4) : v + r.int(1, 4))));
    const uclaStart = [r.int(2, 3), r.int(2, 3), r.int(2, 3)];
    const uclaEnd = uclaStart.map((v) => Math.max(1, v - r.int(0, 1)));
    const endOn = addDays(c.closedOn, -r.int(0, 7));
    measurements.push({ id: id(), case_id: c.caseId, person_id: c.personId, measure: 'ons4', stage: 'start', taken_on: c.openedOn, answers: start, score: null });
    measurements.push({ id: id(), case_id: c.caseId, person_id: c.personId, measure: 'ucla3', stage: 'start', taken_on: c.openedOn, answers: uclaStart, score: uclaStart[0] + uclaStart[1] + uclaStart[2] });
    measurements.push({ id: id(), case_id: c.caseId, person_id: c.personId, measure: 'ons4', stage: 'end', taken_on: endOn, answers: end, score: null });
    measurements.push({ id: id(), case_id: c.caseId, person_id: c.personId, measure: 'ucla3', stage: 'end', taken_on: endOn, answers: uclaEnd, score: uclaEnd[0] + uclaEnd[1] + uclaEnd[2] });
  }

  // Details for the demo's onward referrals: the person's real (synthetic) name, as consented.
  await db.transaction(async (tx) => {
    await demo.insertOnward(tx, onward);
    await demo.shareNamesWithOrganisations(tx, onward.map((row) => row[0] as string));
    await demo.insertGoals(tx, goals);
    await demo.insertPlanActions(tx, actions);
    await demo.insertMeasurements(tx, measurements);
    await demo.insertOutcomeConsents(tx, outcomeConsents);

    await recordAudit(tx, { actor: null, action: 'demo_loaded', recordType: 'sp_demo', details: { people: generated.personIds.length, onwardReferrals: onward.length } });
  });

  // The shielding list, shared between the PCN's link workers, at postcodes the directory knows.
  const pcnName = (await getOrganisationDetail(db, anchors.pcn))?.organisation.name ?? 'PCN';
  await loadDemoCohort(db, { pcnId: anchors.pcn, pcnName, linkWorkers, postcodes: near, today });
}
