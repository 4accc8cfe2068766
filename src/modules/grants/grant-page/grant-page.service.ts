import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import { ukToday } from '../../../platform/dates.ts';
import { formatPence } from '../../../platform/money.ts';
import { actsForGrantee, canManageFund } from '../grants.policy.ts';
import { budgetLines, budgetVersions, locations } from '../awards/awards.repository.ts';
import { openGrant } from '../awards/awards.service.ts';
import { changeRequests } from '../changes/changes.repository.ts';
import { isSmallLateMove } from '../changes/changes.service.ts';
import { checklist, letterVersions } from '../closure/closure.repository.ts';
import { closureBlockers } from '../closure/closure.service.ts';
import { findFund } from '../funds/funds.repository.ts';
import { workDeadline } from '../funds/funds.service.ts';
import { tranches } from '../payments/payments.repository.ts';
import { reports } from '../reports/reports.repository.ts';
import { variance } from '../reports/reports.service.ts';

/** Everything the grant's page shows, for a manager or the grantee; the page view is audited. */
export async function grantPage(db: Database, actor: Actor, grantId: string, ip: string) {
  const grant = await openGrant(db, actor, grantId);
  const [fund, lines, versions, locs, schedule, reportList, changes, closure, letters] = await Promise.all([
    findFund(db, grant.fundId),
    budgetLines(db, grant.id),
    budgetVersions(db, grant.id),
    locations(db, grant.id),
    tranches(db, grant.id),
    reports(db, grant.id),
    changeRequests(db, grant.id),
    checklist(db, grant.id),
    letterVersions(db, grant.id),
  ]);
  const today = ukToday();
  const manager = canManageFund(actor, grant);
  const grantee = actsForGrantee(actor, grant);
  await recordAudit(db, { actor, action: 'viewed', recordType: 'grant', recordId: grant.id, ip });
  const paidPence = schedule.filter((t) => t.status === 'paid').reduce((s, t) => s + t.amountPence, 0);
  const current = letters[0];
  const currentSignatures = current ? current.signatures.filter((s) => s.fingerprint === current.fingerprint) : [];
  const reportRows = reportList.map((r) => ({ ...r, overdue: r.status === 'due' && r.dueOn < today }));
  return {
    grant,
    fund: fund!,
    deadline: workDeadline(fund!),
    lines,
    versions,
    locations: locs,
    schedule,
    paidPence,
    reports: reportRows,
    nextDue: reportRows.find((r) => r.status === 'due'),
    lineItems: [{ value: '', text: 'Choose a line' }, ...lines.map((l) => ({ value: l.id, text: `${l.description} (${formatPence(l.amountPence)})` }))],
    locationNames: locs.map((l) => l.name).join(', '),
    scheduleLocked: schedule.some((t) => t.status !== 'scheduled'),
    variance: variance(lines, reportList),
    changes: changes.map((c) => ({ ...c, small: isSmallLateMove(c, grant, fund!, today) })),
    closure,
    letters,
    current,
    signedBy: { funder: currentSignatures.find((s) => s.party === 'funder'), grantee: currentSignatures.find((s) => s.party === 'grantee') },
    blockers: closureBlockers(closure, letters),
    manager,
    grantee,
    today,
    userId: actor.userId,
  };
}
