import crypto from 'node:crypto';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { addDays } from '../../../platform/dates.ts';
import { testNhsNumber } from '../nhs-number.ts';
import { assignMembers, findCohortMember, insertCohort, insertCohortMembers, unassignedMemberIds } from '../cohorts/cohorts.repository.ts';
import { recordCohortCall, type CallInput } from '../cohorts/cohorts.service.ts';

/*
 * The demo's shielding list: forty people (synthetic names, Ofcom drama numbers, NHS numbers from
 * the 999 test range) at postcodes the directory knows, so "find support" orders services by
 * distance. It is shared between the demo PCN's link workers, who are part-way through it: calls
 * made through the same service the pages use, some needing shopping or someone to talk to, and
 * weekly wellbeing calls falling due.
 */

const givenNames = ['Agnes', 'Bernard', 'Cissie', 'Dennis', 'Edna', 'Frank', 'Gladys', 'Harold', 'Irene', 'Jack', 'Kathleen', 'Leonard', 'Mavis', 'Norman', 'Olive', 'Percy', 'Queenie', 'Ronald', 'Sybil', 'Trevor'];
const familyNames = ['Ashworth', 'Barraclough', 'Crowther', 'Dyson', 'Ellwood', 'Firth', 'Greenwood', 'Haigh', 'Illingworth', 'Jowett', 'Kershaw', 'Lumb', 'Midgley', 'Normington', 'Oldroyd', 'Pickles', 'Rushworth', 'Sutcliffe', 'Thewlis', 'Uttley'];

/** What happened on the calls already made: who, how many days ago, and what they said. */
const calls: { person: number; daysAgo: number; call: Omit<CallInput, 'version'> }[] = [
  { person: 0, daysAgo: 9, call: { outcome: 'no_needs', needs: ['someone_to_talk_to'], notes: 'Lives alone; daughter in Leeds rings on Sundays. Would like a weekly chat.', weekly: 'yes' } },
  { person: 1, daysAgo: 9, call: { outcome: 'needs_support', needs: ['shopping', 'medicines'], notes: 'Neighbour away. Needs a weekly shop and repeat prescriptions collected.' } },
  { person: 2, daysAgo: 8, call: { outcome: 'no_needs', needs: [], notes: 'Son is doing shopping. Fine for now.' } },
  { person: 3, daysAgo: 8, call: { outcome: 'no_answer', needs: [] } },
  { person: 4, daysAgo: 7, call: { outcome: 'needs_support', needs: ['dog_walking', 'someone_to_talk_to'], notes: 'Cannot walk Bess while shielding. Misses the lunch club.', weekly: 'yes' } },
  { person: 5, daysAgo: 6, call: { outcome: 'declined', needs: [], notes: 'Did not want to talk; has family nearby.' } },
  { person: 6, daysAgo: 3, call: { outcome: 'no_needs', needs: [] } },
  { person: 20, daysAgo: 9, call: { outcome: 'no_needs', needs: ['someone_to_talk_to'], notes: 'Widowed last year. Agreed to a weekly call.', weekly: 'yes' } },
  { person: 21, daysAgo: 8, call: { outcome: 'needs_support', needs: ['food', 'money'], notes: 'Worried about bills and running low on food.' } },
  { person: 22, daysAgo: 8, call: { outcome: 'no_answer', needs: [] } },
  { person: 23, daysAgo: 5, call: { outcome: 'no_needs', needs: [] } },
  { person: 24, daysAgo: 2, call: { outcome: 'no_needs', needs: [] } },
];

export async function loadDemoCohort(db: Database, o: { pcnId: string; pcnName: string; linkWorkers: { id: string; name: string }[]; postcodes: string[]; today: string }): Promise<void> {
  const cohortId = crypto.randomUUID();
  const people = 40;
  await db.transaction(async (tx) => {
    await insertCohort(tx, { id: cohortId, pcnId: o.pcnId, name: 'Shielding list: people asked to stay at home', description: 'Everyone on the practices’ shielding list, to phone about shopping, medicines and company. Synthetic demo list.', createdBy: o.linkWorkers[0]?.id ?? null });
    await insertCohortMembers(
      tx,
      cohortId,
      Array.from({ length: people }, (_, i) => ({
        id: crypto.randomUUID(),
        rowNumber: i + 2,
        givenName: givenNames[(i * 7) % givenNames.length],
        familyName: familyNames[(i * 3 + Math.floor(i / 20)) % familyNames.length],
        dateOfBirth: `19${30 + ((i * 11) % 20)}-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-${String(1 + ((i * 13) % 28)).padStart(2, '0')}`,
        nhsNumber: testNhsNumber(5000 + i * 3),
        phone: `01632 960${String(500 + i).padStart(3, '0')}`,
        postcode: o.postcodes.length ? o.postcodes[(i * 5) % o.postcodes.length] : null,
      })),
    );
  });
  if (!o.linkWorkers.length) return;
  // Half each, in list order, as a lead shares it out on the first morning.
  const members = await unassignedMemberIds(db, cohortId);
  const half = Math.ceil(members.length / o.linkWorkers.length);
  for (const [i, worker] of o.linkWorkers.entries()) await assignMembers(db, cohortId, members.slice(i * half, (i + 1) * half), worker.id);
  for (const c of calls) {
    const worker = o.linkWorkers[Math.min(o.linkWorkers.length - 1, Math.floor(c.person / half))];
    const actor: Actor = { userId: worker.id, name: worker.name, email: '', memberships: [{ organisationId: o.pcnId, organisationName: o.pcnName, role: 'link_worker' }], via: 'session' };
    const member = await findCohortMember(db, members[c.person]);
    await recordCohortCall(db, actor, members[c.person], { ...c.call, version: member!.version }, null, { now: new Date(`${addDays(o.today, -c.daysAgo)}T12:00:00Z`) });
  }
}
