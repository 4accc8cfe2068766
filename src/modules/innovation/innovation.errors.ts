import { HttpProblem } from '../../platform/http/errors.ts';
import type { FieldError } from '../../platform/http/forms.ts';

/** A rule refused what was asked: 422 with the field it is about, so forms can show it by the field. */
export function refuse(field: string, message: string, status = 422): HttpProblem {
  return new HttpProblem(status, message, message, [{ name: field, reason: message }]);
}

/** Turns a rule's refusal into form errors; anything else is rethrown. */
export function asFieldErrors(error: unknown): FieldError[] {
  if (error instanceof HttpProblem && (error.status === 409 || error.status === 422) && error.errors?.length) {
    return error.errors.map((e) => ({ field: e.name, message: e.reason }));
  }
  throw error;
}

export { isUuid } from '../../platform/ids.ts';
