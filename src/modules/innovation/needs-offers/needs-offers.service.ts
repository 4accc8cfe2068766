import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canActForTeam, canPledgeFor, canTakePart, type ProgrammeAccess } from '../innovation.policy.ts';
import { organisationExists, organisationsNamed, type Programme } from '../programmes/programmes.repository.ts';
import { requireStage, type ProgrammeContext } from '../programmes/programmes.service.ts';
import { getTeam, listTeams } from '../teams/teams.repository.ts';
import * as repo from './needs-offers.repository.ts';

/** The needs and offers board: every need with its offers, and the teams the actor may post needs for. */
export async function needsBoard(db: Database, ctx: ProgrammeContext) {
  const [needs, offers, teams, organisations] = await Promise.all([
    repo.listNeeds(db, ctx.programme.id),
    repo.listOffers(db, ctx.programme.id),
    listTeams(db, ctx.programme.id),
    organisationsNamed(db, ctx.access.ownOrganisationIds),
  ]);
  return {
    needs: needs.map((n) => ({ ...n, offers: offers.filter((o) => o.needId === n.id), canAct: canActForTeam(ctx.access, n.teamId) })),
    ownTeams: teams.filter((t) => canActForTeam(ctx.access, t.id)),
    /** Offers are pledged on behalf of the person's own organisations only; the one they take part for first. */
    organisations: organisations.sort((a, b) => Number(b.id === ctx.access.organisationId) - Number(a.id === ctx.access.organisationId)),
  };
}

/** A team posts something it needs: training, a venue, funding routes, an evaluation tool… */
export async function postNeed(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, n: { teamId: string; title: string; description: string }, ip?: string): Promise<string> {
  if (!canActForTeam(access, n.teamId)) throw refuse.forbidden('You can post needs for your own team only', 'teamId');
  requireStage(programme, 'needs_offers', 'title');
  if (!(await getTeam(db, programme.id, n.teamId))) throw refuse.invalid('teamId', 'Choose the team that needs this');
  return db.transaction(async (tx) => {
    const id = await repo.insertNeed(tx, programme.id, n, actor.userId);
    await recordAudit(tx, { actor, action: 'created', recordType: 'team_need', recordId: id, ip, details: { team_id: n.teamId, title: n.title } });
    return id;
  });
}

async function loadNeed(db: Database, programmeId: string, needId: string) {
  const need = await repo.getNeed(db, programmeId, needId);
  if (!need) throw refuse.notFound('Need');
  return need;
}

/** Anyone taking part pledges an offer to meet a need, on behalf of one of their own organisations. */
export async function pledgeOffer(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, needId: string, o: { description: string; organisationId?: string }, ip?: string): Promise<string> {
  if (!canTakePart(access)) throw refuse.forbidden();
  requireStage(programme, 'needs_offers');
  const need = await loadNeed(db, programme.id, needId);
  if (need.status === 'met') throw refuse.conflict('form', 'This need has been met already');
  const organisationId = o.organisationId ?? access.organisationId;
  if (organisationId && !(await organisationExists(db, organisationId))) throw refuse.invalid('organisationId', 'Choose an organisation from the list');
  if (organisationId && !canPledgeFor(access, organisationId)) {
    const own = (await organisationsNamed(db, access.ownOrganisationIds)).map((x) => x.name);
    throw refuse.forbidden(`You can pledge help only on behalf of your own organisation${own.length === 1 ? '' : 's'}${own.length ? ` (${own.join(', ')})` : ''}. Ask someone from that organisation to offer it.`, 'organisationId');
  }
  return db.transaction(async (tx) => {
    const id = await repo.insertOffer(tx, needId, { description: o.description, organisationId }, actor.userId);
    await recordAudit(tx, { actor, action: 'created', recordType: 'need_offer', recordId: id, ip, details: { need_id: needId, organisation_id: organisationId } });
    return id;
  });
}

/** The team takes up an offer (matched), then marks the need met when it has been. */
export async function matchOffer(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, needId: string, offerId: string, ip?: string): Promise<void> {
  const need = await loadNeed(db, programme.id, needId);
  if (!canActForTeam(access, need.teamId)) throw refuse.forbidden('Only the team that posted the need, or a programme manager, can take up an offer.');
  requireStage(programme, 'needs_offers');
  if (!(await repo.isOfferFor(db, needId, offerId))) throw refuse.invalid('form', 'Choose an offer made for this need');
  if (need.status === 'met') throw refuse.conflict('form', 'This need has been met already');
  await db.transaction(async (tx) => {
    await repo.matchNeed(tx, needId, offerId);
    await recordAudit(tx, { actor, action: 'matched', recordType: 'team_need', recordId: needId, ip, details: { offer_id: offerId } });
  });
}

export async function markMet(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, needId: string, ip?: string): Promise<void> {
  const need = await loadNeed(db, programme.id, needId);
  if (!canActForTeam(access, need.teamId)) throw refuse.forbidden('Only the team that posted the need, or a programme manager, can mark it met.');
  if (need.status !== 'matched') throw refuse.conflict('form', need.status === 'met' ? 'This need has been met already' : 'Take up an offer before marking the need met');
  await db.transaction(async (tx) => {
    await repo.markNeedMet(tx, needId);
    await recordAudit(tx, { actor, action: 'met', recordType: 'team_need', recordId: needId, ip });
  });
}
