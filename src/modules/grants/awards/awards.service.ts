import type { Actor } from '../../../platform/actor.ts';
import { organisationsWithRole } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import { addYears, ukToday } from '../../../platform/dates.ts';
import { formatPence } from '../../../platform/money.ts';
import { refuse } from '../../../platform/refusal.ts';
import { fundedDecision } from '../../innovation/index.ts';
import { actsForGrantee, canManageFund, canSeeGrant, canSetUpFunds } from '../grants.policy.ts';
import { parseBudgetLines } from '../grants.schemas.ts';
import { openFund } from '../funds/funds.service.ts';
import { organisationExists } from '../funds/funds.repository.ts';
import * as repo from './awards.repository.ts';
import type { GrantInput } from './awards.schemas.ts';
import { geoCodeTypeOf, readLocations } from './locations.ts';

/** PostgreSQL's code for a failed check: the fund trigger, if anything gets past the lock. */
const CHECK_VIOLATION = '23514';

/** The grant, if this person may see it: its fund's managers and the grantee's editors. */
export async function openGrant(db: Database, actor: Actor, grantId: string): Promise<repo.Grant> {
  const grant = await repo.findGrant(db, grantId);
  if (!grant) throw refuse.notFound('Grant');
  if (!canSeeGrant(actor, grant)) throw refuse.forbidden('Only the fund’s grants managers and the grantee organisation’s editors can see this grant.');
  return grant;
}

/** The grant, if this person runs its fund. */
export async function openGrantToManage(db: Database, actor: Actor, grantId: string): Promise<repo.Grant> {
  const grant = await openGrant(db, actor, grantId);
  if (!canManageFund(actor, grant)) throw refuse.forbidden('Only the fund’s grants managers can do that.');
  return grant;
}

/** The grant, if this person acts for the grantee. */
export async function openGrantAsGrantee(db: Database, actor: Actor, grantId: string): Promise<repo.Grant> {
  const grant = await openGrant(db, actor, grantId);
  if (!actsForGrantee(actor, grant)) throw refuse.forbidden('Only editors of the grantee organisation can do that.');
  return grant;
}

/** Nothing more happens on a closed grant; the refusal points at the page's "closed" notice. */
export function refuseIfClosed(grant: repo.Grant) {
  if (grant.stage === 'closed') throw refuse.conflict('closed', `This grant was closed on ${grant.closedAt ? new Date(grant.closedAt).toISOString().slice(0, 10) : 'an earlier date'}: nothing more can be added to it.`);
}

/** Grants to the organisations this person edits. */
export async function listGrantsFor(db: Database, actor: Actor, ip: string) {
  const grants = await repo.grantsToRecipients(db, organisationsWithRole(actor, 'organisation_editor'));
  if (grants.length) await recordAudit(db, { actor, action: 'viewed', recordType: 'grant_list', ip, details: { grants: grants.length } });
  return grants;
}

async function resolveLocations(db: Database, typed: string): Promise<repo.GrantLocation[]> {
  const { postcodes, codes, faults } = readLocations(typed);
  if (faults.length) throw refuse.invalid('locations', `${faults.map((f) => `“${f}”`).join(', ')} ${faults.length === 1 ? 'is' : 'are'} not a postcode or an area code such as E08000035`);
  const lsoas = await repo.lsoaOfPostcodes(db, postcodes);
  const unknown = postcodes.filter((p) => !lsoas.get(p));
  if (unknown.length) throw refuse.invalid('locations', `We do not know the area of ${unknown.join(', ')}. Check the postcode, or enter the area code instead.`);
  const seen = new Set<string>();
  const out: repo.GrantLocation[] = [];
  for (const code of [...codes, ...postcodes.map((p) => lsoas.get(p)!)]) {
    if (seen.has(code)) continue;
    seen.add(code);
    const type = geoCodeTypeOf(code)!;
    out.push({ name: `${type.name} ${code}`, geoCode: code, geoCodeType: type.type });
  }
  return out;
}

/** Awards a grant from a fund. The fund is locked first and the database checks the total again. */
export async function awardGrant(db: Database, actor: Actor, fundId: string, input: GrantInput, ip: string): Promise<string> {
  const fund = await openFund(db, actor, fundId);
  if (!(await organisationExists(db, input.recipientOrganisationId))) throw refuse.invalid('recipientOrganisationId', 'Choose the recipient from the directory');
  if (input.awardDate > ukToday()) throw refuse.invalid('awardDate', 'The award date cannot be in the future: award the grant on or after the day it is decided');
  if (input.plannedEnd > addYears(input.awardDate, 12)) throw refuse.invalid('plannedEnd', 'The planned end date must be within 12 years of the award date');
  if (input.awardDate < addYears(ukToday(), -25)) throw refuse.invalid('awardDate', 'The award date must be within the last 25 years');
  if (input.programme && fund.programmes.length && !fund.programmes.includes(input.programme))
    throw refuse.invalid('programme', `The grant programme must be one of the fund’s: ${fund.programmes.join(', ')}`);
  const budget = parseBudgetLines(input.budgetLines);
  if (!budget.ok) throw refuse.invalid('budgetLines', budget.message);
  const budgeted = budget.lines.reduce((sum, l) => sum + l.amountPence, 0);
  if (budgeted !== input.amount) throw refuse.invalid('budgetLines', `The budget lines add up to ${formatPence(budgeted)}, not the ${formatPence(input.amount)} awarded`);
  const locations = await resolveLocations(db, input.locations);
  const classifications = input.classifications.split(/[\n,;]+/).map((c) => c.trim()).filter(Boolean);
  if (input.investmentDecisionId && (await repo.decisionAlreadyGranted(db, input.investmentDecisionId))) throw refuse.conflict('form', 'That Investment Day decision is already a grant.');
  try {
    return await db.transaction(async (tx) => {
      const position = await repo.lockFundAwarded(tx, fund.id);
      const left = position.totalPence - position.awardedPence;
      if (input.amount > left) throw refuse.conflict('amount', `${formatPence(input.amount)} is more than the ${formatPence(left)} left in ${fund.name}`);
      const id = await repo.insertGrant(tx, {
        fundId: fund.id,
        recipientOrganisationId: input.recipientOrganisationId,
        title: input.title,
        description: input.description,
        amountPence: input.amount,
        awardDate: input.awardDate,
        plannedStart: input.plannedStart,
        plannedEnd: input.plannedEnd,
        programme: input.programme || fund.programmes[0] || fund.name,
        conditions: input.conditions,
        classifications,
        publish: input.publish,
        investmentDecisionId: input.investmentDecisionId ?? null,
        budgetLines: budget.lines,
        locations,
        createdBy: actor.userId,
      });
      await recordAudit(tx, { actor, action: 'created', recordType: 'grant', recordId: id, ip, details: { fundId: fund.id, amountPence: input.amount, recipient: input.recipientOrganisationId, investmentDecisionId: input.investmentDecisionId ?? null } });
      return id;
    });
  } catch (error) {
    if ((error as { code?: string }).code === CHECK_VIOLATION && /exceed the fund/.test(String((error as Error).message))) {
      throw refuse.conflict('amount', 'This grant would take the total awarded past the fund. Reload the page to see what is left.');
    }
    throw error;
  }
}

/** What the award form starts with when an Investment Day decision becomes a grant: the team's organisation, amount, programme and budget. */
export async function grantFromDecision(db: Database, actor: Actor, fundId: string, decisionId: string) {
  const fund = await openFund(db, actor, fundId);
  const decision = await fundedDecision(db, decisionId);
  if (!decision) throw refuse.notFound('Funded Investment Day decision');
  if (await repo.decisionAlreadyGranted(db, decisionId)) throw refuse.conflict('form', 'That Investment Day decision is already a grant.');
  const today = ukToday();
  return {
    fund,
    values: {
      recipientOrganisationId: decision.organisationId ?? '',
      title: decision.teamName.slice(0, 139),
      description: decision.summary || `${decision.teamName}: funded at Investment Day in ${decision.programmeName}.`,
      amount: String(decision.awardedPence / 100),
      awardDate: today,
      programme: fund.programmes.includes(decision.programmeName) ? decision.programmeName : (fund.programmes[0] ?? ''),
      budgetLines: (decision.budgetLines.length ? decision.budgetLines : [{ description: 'Delivery', amountPence: decision.awardedPence }]).map((l) => `${l.description}: ${formatPence(l.amountPence)}`).join('\n'),
      publish: 'yes',
      investmentDecisionId: decision.id,
    },
    decision,
  };
}

export async function setPublication(db: Database, actor: Actor, grantId: string, publish: boolean, ip: string) {
  const grant = await openGrantToManage(db, actor, grantId);
  await db.transaction(async (tx) => {
    await repo.setPublish(tx, grant.id, publish);
    await recordAudit(tx, { actor, action: publish ? 'published' : 'unpublished', recordType: 'grant', recordId: grant.id, ip });
  });
}

/** The "Grants" link: fund managers always; editors when their organisation has a grant. */
export async function showsGrants(db: Database, actor: Actor | null): Promise<boolean> {
  if (!actor) return false;
  if (canSetUpFunds(actor)) return true;
  return repo.anyGrantsTo(db, organisationsWithRole(actor, 'organisation_editor'));
}
