import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/actor.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { requireSignIn } from '../../identity/index.ts';

/* Small helpers the listings and problems pages share. */

/** The signed-in actor, or null after redirecting to sign in. */
export function signedIn(request: FastifyRequest, reply: FastifyReply): Actor | null {
  return requireSignIn(request, reply) ? request.actor : null;
}

export const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
export const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Record<string, string | undefined>;

/** Errors in the order their fields appear on the page, so the summary reads top to bottom. */
export function inFieldOrder(errors: FieldError[], order: string[]): FieldError[] {
  const rank = (f: string) => {
    const i = order.indexOf(f);
    return i === -1 ? order.length : i;
  };
  return [...errors].sort((a, b) => rank(a.field) - rank(b.field));
}

/** Messages after a redirect, chosen by a fixed key so no text from the address is shown. */
export function flashFrom(query: Record<string, string | undefined>, messages: Record<string, string>): string | undefined {
  return query.done ? messages[query.done] : undefined;
}
