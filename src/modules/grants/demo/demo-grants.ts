/**
 * The demo's grants: a charitable trust spending out in six months, with 28 grants at every stage
 * from award to signed closure, and the Wyndale partnership's own community fund. Synthetic data,
 * the same on every machine; loaded in one transaction through the features' repositories.
 */
import type { Database, Queryable } from '../../../platform/db/database.ts';
import { addDays, ukToday } from '../../../platform/dates.ts';
import { createUserWithMembership } from '../../identity/index.ts';
import { insertFund } from '../funds/funds.repository.ts';
import { DEFAULT_LETTER_TEMPLATE } from '../funds/funds.schemas.ts';
import { budgetLines, insertGrant, lsoaOfPostcodes, setStage } from '../awards/awards.repository.ts';
import { geoCodeTypeOf } from '../awards/locations.ts';
import { moveTranche, replaceSchedule, tranches } from '../payments/payments.repository.ts';
import { accept, insertRequirement, submit } from '../reports/reports.repository.ts';
import { insertChange, decide, moveMoney } from '../changes/changes.repository.ts';
import { insertComment, insertSignature, insertVersion, saveChecklist } from '../closure/closure.repository.ts';
import { fillTemplate, fingerprintOf } from '../closure/letter.ts';
import { identifiersOf, matchRecipients, upsertExternal } from '../open-data/open-data.repository.ts';
import * as repo from './demo-grants.repository.ts';

const months = (date: string, n: number) => {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + n, Math.min(d, 28), 12));
  return t.toISOString().slice(0, 10);
};

const purposes = [
  ['Walking groups for people over 60', 'Weekly led walks and a tea afterwards, for older people living alone, with transport for those who need it.', 'Healthy Ageing', 'Older people'],
  ['Men’s shed in the old library', 'A workshop where men meet to make and mend, to reduce loneliness and improve mental wellbeing.', 'Community Connections', 'Loneliness'],
  ['Cook and eat sessions for families', 'Cooking on a budget with families referred by the food bank and children’s centres.', 'Community Connections', 'Food poverty'],
  ['Falls prevention classes', 'Strength and balance classes in community halls, run with the local physiotherapy team.', 'Healthy Ageing', 'Older people'],
  ['Befriending by phone', 'Trained volunteers call isolated people every week and help them back into local groups.', 'Community Connections', 'Loneliness'],
  ['Memory café', 'A monthly café for people living with dementia and their carers, with advice from a dementia nurse.', 'Healthy Ageing', 'Dementia'],
  ['Green gym on the estate', 'Gardening and outdoor work on shared land, for adults with long-term conditions.', 'Healthy Ageing', 'Physical activity'],
] as const;

const meeting = 'Closure call held with the chief officer and treasurer. Impact against the agreed outcomes was discussed; no issues outstanding.';

export async function loadDemoGrants(db: Database, anchors: { partnership: string; charity: string }, password: string): Promise<void> {
  if (await repo.alreadyLoaded(db)) return;
  const trust = await repo.insertFunder(db, 'Wyndale Legacy Trust', 'A charitable trust spending all of its endowment and closing, funding older people’s health and community connection in Wyndale.', null, '1089123');
  const grace = await createUserWithMembership(db, { name: 'Grace Grants', email: 'grants@demo.common-ground.invalid', password, organisationId: trust, role: 'grants_manager' });
  const gale = await createUserWithMembership(db, { name: 'Gale Grants', email: 'grants2@demo.common-ground.invalid', password, organisationId: trust, role: 'grants_manager' });
  const today = ukToday();
  const postcodes = await repo.somePostcodes(db, 30);
  const lsoas = await lsoaOfPostcodes(db, postcodes);
  const orgs = await repo.recipients(db, [anchors.charity], 31);

  await db.transaction(async (tx) => {
    const spendOut = months(today, 6);
    const trustFund = await insertFund(
      tx,
      {
        funderOrganisationId: trust,
        name: 'Final programmes 2024 to 2026',
        total: 140_000_000,
        opensOn: months(today, -26),
        closesOn: months(today, 2),
        programmes: ['Healthy Ageing', 'Community Connections'],
        spendOutOn: spendOut,
        endMonthsBeforeSpendOut: 6,
        approvalThreshold: 1_000_000,
        lateMovePercent: 10,
        lateMoveMax: 250_000,
        letterTemplate: DEFAULT_LETTER_TEMPLATE,
      },
      grace,
    );
    for (let i = 0; i < 28; i++) {
      const recipient = orgs[(i + 24) % 28];
      const [title, description, programme, classification] = purposes[i % purposes.length];
      const stage = i < 4 ? 'awarded' : i < 16 ? 'in_delivery' : i < 23 ? 'closing' : 'closed';
      const amount = (20 + ((i * 13) % 41)) * 100_000;
      const ago = stage === 'awarded' ? 1 : stage === 'in_delivery' ? 14 : stage === 'closing' ? 18 : 22;
      const awardDate = months(today, -ago);
      const plannedStart = addDays(awardDate, 14);
      const plannedEnd = stage === 'awarded' ? months(today, i % 2 ? 2 : 0) : stage === 'in_delivery' ? addDays(today, i % 5 === 0 ? 40 : -10 - i) : months(today, -(ago - 12));
      const pc = postcodes[i % postcodes.length];
      const lsoa = pc ? lsoas.get(pc) : undefined;
      const staff = Math.round((amount * 0.6) / 100) * 100;
      const activities = Math.round((amount * 0.25) / 100) * 100;
      const id = await insertGrant(tx, {
        fundId: trustFund,
        recipientOrganisationId: recipient.id,
        title: `${title} (${recipient.name})`.slice(0, 139),
        description,
        amountPence: amount,
        awardDate,
        plannedStart,
        plannedEnd,
        programme,
        conditions: 'Reports on time; the Trust acknowledged in publicity.',
        classifications: [classification],
        publish: true,
        investmentDecisionId: null,
        budgetLines: [
          { description: 'Staff costs', amountPence: staff },
          { description: 'Activities and materials', amountPence: activities },
          { description: 'Volunteer expenses', amountPence: amount - staff - activities },
        ],
        locations: lsoa ? [{ name: `${geoCodeTypeOf(lsoa)?.name ?? 'Area'} ${lsoa}`, geoCode: lsoa, geoCodeType: 'LSOA' }] : [],
        createdBy: grace,
      });
      const first = Math.round((amount * 0.4) / 100) * 100;
      await replaceSchedule(tx, id, [
        { amountPence: first, dueOn: plannedStart, condition: 'On signing the grant agreement' },
        { amountPence: first, dueOn: months(plannedStart, 6), condition: 'On receipt of the 6-month report' },
        { amountPence: amount - 2 * first, dueOn: addDays(plannedEnd, 30), condition: 'On receipt of the final report' },
      ]);
      if (stage === 'awarded') continue;
      const schedule = await tranches(tx, id);
      const pay = async (n: number) => {
        for (const t of schedule.slice(0, n)) {
          await moveTranche(tx, t.id, 'scheduled', t.amountPence > 1_000_000 ? 'awaiting_approval' : 'approved', { releasedBy: grace });
          if (t.amountPence > 1_000_000) await moveTranche(tx, t.id, 'awaiting_approval', 'approved', { approvedBy: gale });
          const paidOn = t.dueOn < today ? t.dueOn : today;
          await moveTranche(tx, t.id, 'approved', 'paid', { paidOn, paymentReference: `WLT-${String(1000 + i * 3 + t.position)}` });
        }
      };
      const lines = await budgetLines(tx, id);
      const spend = (share: number) => lines.map((l) => ({ budgetLineId: l.id, spentPence: Math.round((l.amountPence * share) / 100) * 100 }));
      const progress = await insertRequirement(tx, id, 'progress', months(plannedStart, 6));
      await submit(tx, progress, 'Sessions running weekly; attendance growing. Two new volunteers trained.', [], gale);
      await accept(tx, progress, grace);
      const spendReturn = await insertRequirement(tx, id, 'spend_return', stage === 'in_delivery' ? addDays(today, i % 3 === 0 ? -21 : 5) : months(plannedStart, 9));
      const final = await insertRequirement(tx, id, 'final', addDays(plannedEnd, 30));
      if (stage === 'in_delivery') {
        await pay(i % 4 === 0 ? 1 : 2);
        if (i % 3 === 1) await submit(tx, spendReturn, 'Spending as planned; volunteer expenses a little under.', spend(0.55), gale);
        await setStage(tx, id, 'in_delivery');
        continue;
      }
      // Closing and closed: everything paid, a late small move, reports in, checklist, the letter.
      await pay(3);
      await submit(tx, spendReturn, 'On budget.', spend(0.7), gale);
      await accept(tx, spendReturn, grace);
      const move = await insertChange(tx, id, { kind: 'move', fromLineId: lines[2].id, toLineId: lines[1].id, amountPence: 50_000, reason: 'Fewer volunteer journeys than planned; more sessions instead.' }, gale);
      await moveMoney(tx, id, lines[2].id, lines[1].id, 50_000);
      await decide(tx, move, 'approved', 'A small late move within the Trust’s limits.', grace);
      await submit(tx, final, 'All sessions delivered. 180 people took part; 70% said they felt less lonely. Learning shared with the partnership.', spend(1), gale);
      await accept(tx, final, grace);
      const checklist = {
        finalReportReviewed: true,
        spendReconciled: true,
        meetingNotes: meeting,
        intellectualProperty: `Materials made for the project belong to ${recipient.name}, who grants the Trust a free licence to share them.`,
        personalData: 'Participants’ contact details held for the project will be deleted within three months of closure; no personal data was shared with the Trust.',
        communications: 'The Trust may be named as funder in publicity until it closes; no further acknowledgement is needed after that.',
        assets: 'Equipment bought (a laptop and garden tools) stays with the organisation for similar work.',
        underspend: undefined,
        underspendOutcome: undefined,
      };
      await saveChecklist(tx, id, checklist);
      const body = fillTemplate(DEFAULT_LETTER_TEMPLATE, {
        recipient: recipient.name,
        grantId: id.slice(0, 8).toUpperCase(),
        title,
        amountPence: amount,
        funder: 'Wyndale Legacy Trust',
        fund: 'Final programmes 2024 to 2026',
        awardDate,
        reporting: 'All reports have been received, including the final report, and no further reporting is required.',
        money: `The grant was paid in full and spent as agreed.`,
        intellectualProperty: checklist.intellectualProperty,
        personalData: checklist.personalData,
        communications: checklist.communications,
        assets: checklist.assets,
        meeting,
      });
      const v1 = await insertVersion(tx, id, 1, body, fingerprintOf(body), 'First draft from the fund’s template', grace);
      let current = { id: v1, fingerprint: fingerprintOf(body) };
      if (i % 2 === 0) {
        await insertComment(tx, v1, gale, 'Our trustees ask that the licence covers sharing only for non-commercial use.', 'who grants the Trust a free, non-commercial licence to share them');
        const body2 = body.replace('a free licence to share them', 'a free, non-commercial licence to share them');
        current = { id: await insertVersion(tx, id, 2, body2, fingerprintOf(body2), 'Took in the grantee’s suggested wording on the licence', grace), fingerprint: fingerprintOf(body2) };
      }
      if (stage === 'closed' || i % 3 === 0) await insertSignature(tx, current.id, { party: 'funder', typedName: 'Grace Grants', signerRole: 'Grants manager', signedOn: addDays(today, -20), fingerprint: current.fingerprint }, grace);
      if (stage === 'closed') await insertSignature(tx, current.id, { party: 'grantee', typedName: 'Rowan Treasurer', signerRole: 'Treasurer', signedOn: addDays(today, -15), fingerprint: current.fingerprint }, gale);
      await setStage(tx, id, stage);
    }

    // The partnership's own community fund: three small grants in delivery.
    const community = await insertFund(
      tx,
      {
        funderOrganisationId: anchors.partnership,
        name: 'Wyndale Community Fund 2026',
        total: 12_000_000,
        opensOn: months(today, -3),
        closesOn: months(today, 9),
        programmes: ['Community Grants 2026'],
        spendOutOn: undefined,
        endMonthsBeforeSpendOut: 6,
        approvalThreshold: 500_000,
        lateMovePercent: 10,
        lateMoveMax: 100_000,
        letterTemplate: DEFAULT_LETTER_TEMPLATE,
      },
      null,
    );
    for (let i = 0; i < 3; i++) {
      const recipient = orgs[28 + i] ?? orgs[i];
      const amount = [450_000, 800_000, 1_200_000][i];
      const awardDate = months(today, -2);
      const id = await insertGrant(tx, {
        fundId: community,
        recipientOrganisationId: recipient.id,
        title: ['Warm space winter opening', 'Youth cooking club', 'Carers’ drop-in'][i],
        description: ['Opening the hall as a warm, welcoming space on winter weekdays, with hot drinks and company.', 'A weekly club where young people learn to cook healthy meals on a budget.', 'A fortnightly drop-in for unpaid carers with advice and a break.'][i],
        amountPence: amount,
        awardDate,
        plannedStart: addDays(awardDate, 7),
        plannedEnd: months(today, 8),
        programme: 'Community Grants 2026',
        conditions: '',
        classifications: [['Cost of living', 'Young people', 'Carers'][i]],
        publish: true,
        investmentDecisionId: null,
        budgetLines: [{ description: 'Running costs', amountPence: amount }],
        locations: [],
        createdBy: null,
      });
      await replaceSchedule(tx, id, [{ amountPence: amount, dueOn: addDays(awardDate, 7), condition: '' }]);
      await insertRequirement(tx, id, 'final', months(today, 9));
    }

    await loadOtherFunders(tx, orgs, [...lsoas.values()].filter((v): v is string => !!v));
  });
}

/** A few grants "imported" from another funder's 360Giving file, so the funding routes page has something to show. */
async function loadOtherFunders(tx: Queryable, orgs: { id: string; name: string }[], lsoas: string[]) {
  // Half the recipients carry their charity number, so they match and show under "Grants received" on their directory page.
  const identifiers = await identifiersOf(tx, orgs.map((o) => o.id));
  const charityOf = (i: number) => (i < 6 ? (identifiers.find((x) => x.organisationId === orgs[i]?.id && x.scheme === 'GB-CHC')?.identifier ?? null) : null);
  const rows = Array.from({ length: 12 }, (_, i) => ({
    identifier: `360G-northernrivers-${2025}-${100 + i}`,
    title: ['Community transport', 'Lunch club', 'Digital skills for older people', 'Carers’ breaks'][i % 4],
    description: 'A grant from another funder, read in from its 360Giving data.',
    amountPence: (5 + i) * 100_000,
    awardDate: `2025-${String((i % 12) + 1).padStart(2, '0')}-15`,
    funderIdentifier: 'GB-CHC-1099001',
    funderName: 'Northern Rivers Foundation',
    recipientIdentifier: null,
    recipientName: orgs[i]?.name ?? 'A community group',
    charityNumber: charityOf(i),
    companyNumber: null,
    programme: i % 2 ? 'Stronger Communities' : 'Later Life',
    geoCodes: lsoas.length ? [lsoas[i % lsoas.length]] : [],
    classifications: [i % 2 ? 'Loneliness' : 'Older people'],
    // Latest yearly income, for the size filter: micro groups to a large charity.
    recipientIncomePence: [850_000, 4_200_000, 27_500_000, 180_000_000][i % 4],
  }));
  await upsertExternal(tx, rows);
  await matchRecipients(tx);
}
