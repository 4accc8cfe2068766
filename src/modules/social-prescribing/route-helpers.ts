import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../platform/http/forms.ts';
import { HttpProblem } from '../../platform/http/errors.ts';
import { requirePermission } from '../identity/index.ts';
import { canUseCaseload } from './social-prescribing.policy.ts';

/** The submitted form as strings (and arrays for repeated checkboxes), without the CSRF token. */
export function formValues(body: unknown): Record<string, unknown> {
  const { _csrf: _token, ...rest } = (body ?? {}) as Record<string, unknown>;
  return rest;
}

/**
 * A rule broken in a service comes back to the form as field errors, with the status to send.
 * Anything that is not the user's to fix is thrown on.
 */
export function asFormErrors(error: unknown, fallbackField: string): { status: number; errors: FieldError[] } {
  if (error instanceof HttpProblem && [409, 422].includes(error.status)) {
    const errors = error.errors?.length ? error.errors.map((e) => ({ field: e.name, message: e.reason })) : [{ field: fallbackField, message: error.detail ? `${error.title}. ${error.detail}` : error.title }];
    return { status: error.status, errors };
  }
  throw error;
}

export const requireCaseload = (request: FastifyRequest, reply: FastifyReply) => requirePermission(request, reply, canUseCaseload);

export function ip(request: FastifyRequest): string {
  return request.ip;
}
