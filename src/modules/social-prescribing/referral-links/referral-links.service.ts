import crypto from 'node:crypto';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { formatDate } from '../../../platform/dates.ts';
import type { Mailer } from '../../../platform/mailer.ts';
import { refuse } from '../../../platform/refusal.ts';
import { claimOrganisationByVerifiedEmail, hashSecret, newSecret } from '../../identity/index.ts';
import * as repo from './referral-links.repository.ts';
import * as connectRepo from '../connect/connect.repository.ts';
import { saveAnswer, saveAttendance } from '../connect/connect.service.ts';
import { caseForTeam } from '../cases/cases.service.ts';
import { auditPerson, today, type Clock } from '../people/people.service.ts';
import { respondByOn } from '../connect/referral-deadlines.ts';

/*
 * Most organisations in a partnership have nobody who can sign in. A referral to one is emailed to
 * the address its directory listing gives, as a secure link: it opens one referral only, expires
 * after 30 days, can be revoked by the link worker, and every use is audited. Only the link's
 * SHA-256 is stored. Through it the organisation accepts or declines, records attendance, and can
 * claim the organisation (become its editor) with the same, now proven, email address.
 */

export const LINK_DAYS = 30;

/** What sending needs: the mailer, and the address the links start with. */
export type SendVia = { mailer: Mailer; publicUrl: string };

/** How the referral went: emailed, kept in the outbox (why), or there was no address to send to. */
export type Delivered = { delivery: 'emailed' | 'email_not_sent' | 'no_email'; to: string | null; why?: string };

type Listing = { service: { email?: string | null }; organisation: { email?: string | null } };

/** Where a referral to a service goes: the service's own email, else its organisation's. */
export function referralAddress(detail: Listing): string | null {
  return detail.service.email?.trim() || detail.organisation.email?.trim() || null;
}

const linkPath = (onwardId: string, token: string) => `/referral/${onwardId}/${token}`;

/**
 * Delivers an onward referral: a new secure link, emailed to the organisation's listed address
 * (older links are revoked). With no address nothing is sent, and the referral says so.
 */
export async function deliverReferral(db: Database, send: SendVia, actor: Actor, onward: connectRepo.Onward, to: string | null, ip: string | null, clock?: Clock): Promise<Delivered> {
  const on = today(clock);
  const now = clock?.now ?? new Date();
  if (!to) {
    await db.transaction(async (tx) => {
      await repo.setDelivery(tx, onward.id, 'no_email', on);
      await auditPerson(tx, actor, 'onward_referral_not_sent', onward.personId, ip, { onwardReferralId: onward.id, why: 'no_email' });
    });
    return { delivery: 'no_email', to: null };
  }
  const token = newSecret();
  const linkId = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.revokeLinks(tx, onward.id, actor.userId, now);
    await repo.insertLink(tx, { id: linkId, onwardReferralId: onward.id, tokenHash: hashSecret(token), sentTo: to, mailStatus: 'not_sent', createdBy: actor.userId, expiresAt: new Date(now.getTime() + LINK_DAYS * 86_400_000) });
  });
  const referrer = await repo.referrerOf(db, onward.id);
  const result = await send.mailer.send({
    to,
    subject: `A social prescribing referral to ${onward.serviceName}`,
    text: [
      `Hello ${onward.organisationName},`,
      '',
      `${referrer?.name ?? 'A link worker'}, a social prescribing link worker at ${referrer?.pcnName ?? 'the primary care network'}, has referred someone to ${onward.serviceName}.`,
      `Please say whether you can take the referral by ${formatDate(respondByOn(onward.sentOn))}. You do not need an account:`,
      '',
      `${send.publicUrl}${linkPath(onward.id, token)}`,
      '',
      `The link opens this referral only and works for ${LINK_DAYS} days. Do not forward it: it shows personal details the person agreed to share with you.`,
      referrer?.email ? `To reach the link worker, email ${referrer.email}.` : '',
    ].join('\n'),
    related: { type: 'sp_onward_referral', id: onward.id },
  });
  const delivery = result.status === 'sent' ? 'emailed' : 'email_not_sent';
  await db.transaction(async (tx) => {
    await repo.setMailStatus(tx, linkId, result.status);
    await repo.setDelivery(tx, onward.id, delivery, on);
    await auditPerson(tx, actor, result.status === 'sent' ? 'onward_referral_emailed' : 'onward_referral_not_sent', onward.personId, ip, { onwardReferralId: onward.id, linkId, to, why: result.status === 'sent' ? null : result.reason });
  });
  return result.status === 'sent' ? { delivery, to } : { delivery, to, why: result.detail };
}

// ---- the link worker's side --------------------------------------------------------------------

async function onwardForTeam(db: Queryable, actor: Actor, caseId: string, onwardId: string): Promise<connectRepo.Onward> {
  const found = await caseForTeam(db, actor, caseId);
  const onward = await connectRepo.findOnwardReferral(db, onwardId);
  if (!onward || onward.caseId !== found.id || onward.kind !== 'refer') throw refuse.notFound('Referral');
  return onward;
}

/** The referral as the link worker sees it: how it was delivered, and each link's story. */
export async function viewOnwardReferral(db: Database, actor: Actor, caseId: string, onwardId: string, ip: string | null, purpose: 'view' | 'print' = 'view') {
  const onward = await onwardForTeam(db, actor, caseId, onwardId);
  const [links, referrer] = await Promise.all([repo.listLinks(db, onwardId), repo.referrerOf(db, onwardId)]);
  await auditPerson(db, actor, purpose === 'print' ? 'printed' : 'viewed', onward.personId, ip, { part: 'onward_referral', onwardReferralId: onwardId });
  return { onward, links, referrer, respondBy: respondByOn(onward.sentOn) };
}

/** Withdraws every link of the referral: the organisation can no longer open it. */
export async function revokeReferralLinks(db: Database, actor: Actor, caseId: string, onwardId: string, ip: string | null, clock?: Clock): Promise<number> {
  const onward = await onwardForTeam(db, actor, caseId, onwardId);
  return db.transaction(async (tx) => {
    const revoked = await repo.revokeLinks(tx, onwardId, actor.userId, clock?.now ?? new Date());
    if (!revoked) throw refuse.conflict('form', 'There is no link to revoke: every link of this referral is already revoked.');
    await auditPerson(tx, actor, 'referral_link_revoked', onward.personId, ip, { onwardReferralId: onwardId, revoked });
    return revoked;
  });
}

/** A new link to the same address (the older ones stop working), while the referral waits for an answer. */
export async function resendReferral(db: Database, send: SendVia, actor: Actor, caseId: string, onwardId: string, ip: string | null, clock?: Clock): Promise<Delivered> {
  const onward = await onwardForTeam(db, actor, caseId, onwardId);
  if (onward.status !== 'sent') throw refuse.conflict('form', `The organisation has already answered: it ${onward.status} the referral.`);
  const [latest] = await repo.listLinks(db, onwardId);
  const to = latest?.sentTo ?? null;
  if (!to) throw refuse.conflict('form', 'This organisation has no email address in the directory. Print the referral or phone it through.');
  return deliverReferral(db, send, actor, onward, to, ip, clock);
}

/** The link worker printed the referral or phoned it through: it reached the organisation another way. */
export async function recordDeliveredByHand(db: Database, actor: Actor, caseId: string, onwardId: string, how: 'printed' | 'phoned', ip: string | null, clock?: Clock): Promise<void> {
  const onward = await onwardForTeam(db, actor, caseId, onwardId);
  if (onward.status !== 'sent') throw refuse.conflict('how', `The organisation has already answered: it ${onward.status} the referral.`);
  await db.transaction(async (tx) => {
    await repo.setDelivery(tx, onwardId, how, today(clock));
    await auditPerson(tx, actor, how === 'phoned' ? 'onward_referral_phoned' : 'onward_referral_printed', onward.personId, ip, { onwardReferralId: onwardId });
  });
}

// ---- the organisation's side: the secure page ----------------------------------------------------

type Opened = { link: repo.ReferralLink; onward: connectRepo.Onward };

/**
 * Every use of a link starts here: an unknown link is 404; a link for another referral 403; a
 * revoked or expired link 410. Each use, refused or not, is audited against the person.
 */
async function useLink(db: Database, onwardId: string, token: string, use: string, ip: string | null, now: Date): Promise<Opened> {
  const link = await repo.findLinkByHash(db, hashSecret(token));
  if (!link) throw refuse.notFound('Referral link');
  const onward = await connectRepo.findOnwardReferral(db, link.onwardReferralId);
  if (!onward) throw refuse.notFound('Referral');
  const refused = async (why: string) => auditPerson(db, null, 'referral_link_refused', onward.personId, ip, { onwardReferralId: onward.id, linkId: link.id, use, why, askedFor: onwardId });
  if (onward.id !== onwardId) {
    await refused('other_referral');
    throw refuse.forbidden('This link is for a different referral. Use the link in the email about this referral.');
  }
  if (link.revokedAt) {
    await refused('revoked');
    throw refuse.gone('This link has been withdrawn', 'The link worker has withdrawn this link. If you still need the referral, contact the link worker who sent it.');
  }
  if (link.expiresAt.getTime() <= now.getTime()) {
    await refused('expired');
    throw refuse.gone('This link has expired', `Referral links work for ${LINK_DAYS} days. Contact the link worker who sent it for a new one.`);
  }
  return { link, onward };
}

/** What the organisation sees: the service, dates, status, only the shared details and notes, and who referred. */
function organisationView(o: Opened, referrer: Awaited<ReturnType<typeof repo.referrerOf>>, hasEditors: boolean) {
  const { onward, link } = o;
  return {
    id: onward.id,
    serviceName: onward.serviceName,
    organisationName: onward.organisationName,
    sharedDetails: onward.sharedDetails,
    notes: onward.notes,
    sentOn: onward.sentOn,
    respondBy: respondByOn(onward.sentOn),
    status: onward.status,
    responseReason: onward.responseReason,
    respondedOn: onward.respondedOn,
    attendance: onward.attendance,
    attendanceOn: onward.attendanceOn,
    referrer,
    sentTo: link.sentTo,
    claimed: !!link.claimedAt,
    hasEditors,
  };
}

export type LinkView = ReturnType<typeof organisationView>;

export async function openReferralLink(db: Database, onwardId: string, token: string, ip: string | null, clock?: Clock): Promise<LinkView> {
  const now = clock?.now ?? new Date();
  const opened = await useLink(db, onwardId, token, 'open', ip, now);
  const [referrer, hasEditors] = await Promise.all([repo.referrerOf(db, onwardId), opened.onward.organisationId ? repo.hasEditors(db, opened.onward.organisationId) : false]);
  await db.transaction(async (tx) => {
    await repo.markOpened(tx, opened.link.id, now);
    await auditPerson(tx, null, 'viewed', opened.onward.personId, ip, { part: 'onward_referral', onwardReferralId: onwardId, via: 'referral_link', linkId: opened.link.id });
  });
  return organisationView(opened, referrer, hasEditors);
}

export async function answerByLink(db: Database, onwardId: string, token: string, a: { decision: 'accept' | 'decline'; reason?: string }, ip: string | null, clock?: Clock): Promise<void> {
  const now = clock?.now ?? new Date();
  const { link, onward } = await useLink(db, onwardId, token, 'answer', ip, now);
  await saveAnswer(db, onward, a, null, ip, { via: 'referral_link', linkId: link.id }, clock, (tx) => repo.markAnswered(tx, link.id, now));
}

export async function attendanceByLink(db: Database, onwardId: string, token: string, a: { attendance: string; on: string }, ip: string | null, clock?: Clock): Promise<void> {
  const { link, onward } = await useLink(db, onwardId, token, 'attendance', ip, clock?.now ?? new Date());
  if (a.on > today(clock)) throw refuse.invalid('attendanceOn', 'The date must be today or in the past');
  if (a.on < onward.sentOn) throw refuse.invalid('attendanceOn', `The date must be on or after the referral was sent, ${formatDate(onward.sentOn)}`);
  await saveAttendance(db, onward, a.attendance, a.on, null, ip, { via: 'referral_link', linkId: link.id });
}

/** The contact becomes an editor of the organisation, through the address the link was sent to. */
export async function claimByLink(db: Database, onwardId: string, token: string, form: { name: string; password: string }, ip: string | null, clock?: Clock) {
  const now = clock?.now ?? new Date();
  const { link, onward } = await useLink(db, onwardId, token, 'claim', ip, now);
  if (!onward.organisationId) throw refuse.notFound('Organisation');
  const claimed = await claimOrganisationByVerifiedEmail(db, { email: link.sentTo, name: form.name, password: form.password, organisationId: onward.organisationId, via: { via: 'referral_link', linkId: link.id } }, ip);
  await db.transaction(async (tx) => {
    await repo.markClaimed(tx, link.id, now);
    await auditPerson(tx, null, 'referral_link_used', onward.personId, ip, { onwardReferralId: onwardId, linkId: link.id, use: 'claim' });
  });
  return { ...claimed, organisationName: onward.organisationName };
}
