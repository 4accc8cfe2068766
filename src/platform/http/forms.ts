import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { Refusal } from '../refusal.ts';

export type FieldError = { field: string; message: string };
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

/** Validates a submitted form; errors are in field order, ready for the NHS error summary. */
export function validateForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const field = issue.path.join('.') || 'form';
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: issue.message });
  }
  return { ok: false, errors };
}

/** Turns blank form fields into undefined, so optional fields validate as absent. */
export function blankToUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

const isFields = (body: unknown): body is Record<string, unknown> => !!body && typeof body === 'object' && !Array.isArray(body);

/** The submitted form's fields (a plain object, never undefined), without the CSRF token. */
export function formBody(request: FastifyRequest): Record<string, unknown> {
  const { _csrf: _token, ...fields } = isFields(request.body) ? request.body : {};
  return fields;
}

/** The CSRF token a form carries in its `_csrf` field, if any. */
export function formCsrfToken(request: FastifyRequest): string | undefined {
  const token = isFields(request.body) ? request.body._csrf : undefined;
  return typeof token === 'string' ? token : undefined;
}

/**
 * Where a page's errors link to: the id of the form (or of what is shown instead of it) for a
 * refusal about the whole form (field 'form'), or a function giving each field's id on the page
 * (for a page with the same field in several forms).
 */
export type ErrorAnchor = string | ((field: string) => string);

/** Points errors at elements on the page, so every link in the error summary lands somewhere. */
export function anchorErrors(errors: FieldError[], anchor: ErrorAnchor): FieldError[] {
  return errors.map((e) => ({ ...e, field: typeof anchor === 'function' ? anchor(e.field) : e.field === 'form' ? anchor : e.field }));
}

/** A refusal a form can show beside its fields; anything else (not found, gone, a fault) is rethrown. */
export function refusalAsFieldErrors(error: unknown): { status: number; errors: FieldError[] } {
  if (error instanceof Refusal && error.kind !== 'not_found' && error.kind !== 'gone') return { status: error.status, errors: error.fields };
  throw error;
}

export type FormSubmission<S extends z.ZodType, R> = {
  schema: S;
  /** The submitted fields (formBody(request)), kept to redisplay the form. */
  input: Record<string, unknown>;
  /** Calls the service; a Refusal it throws is shown on the form. */
  save: (data: z.infer<S>) => Promise<R>;
  /** Draws the form again with the errors (the status is already set: 422, 409, 403 …). */
  redisplay: (errors: FieldError[]) => Promise<unknown> | unknown;
  /**
   * Where to go after saving, and the success message to show there; or, for the few answers that
   * must be drawn at once (a secret shown only once, the same page whoever asked), a page to show.
   */
  done: (result: R) => { redirect: string; flash?: string } | { show: () => Promise<unknown> | unknown };
  anchor?: ErrorAnchor;
};

/**
 * The one form pipeline: validate → call the service → redirect (303) with a success message; or
 * the form again with the NHS error summary and the input kept (422, or the refusal's status).
 */
export async function submitForm<S extends z.ZodType, R>(reply: FastifyReply, submission: FormSubmission<S, R>): Promise<FastifyReply> {
  const anchor = submission.anchor ?? 'form';
  const form = validateForm(submission.schema, submission.input);
  if (!form.ok) {
    reply.status(422);
    await submission.redisplay(anchorErrors(form.errors, anchor));
    return reply;
  }
  let result: R;
  try {
    result = await submission.save(form.data);
  } catch (error) {
    const refused = refusalAsFieldErrors(error);
    reply.status(refused.status);
    await submission.redisplay(anchorErrors(refused.errors, anchor));
    return reply;
  }
  const next = submission.done(result);
  if ('show' in next) {
    await next.show();
    return reply;
  }
  if (next.flash) reply.flash(next.flash);
  return reply.redirect(next.redirect, 303);
}
