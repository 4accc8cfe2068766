import { HttpProblem } from '../../platform/http/errors.ts';
import type { FieldError } from '../../platform/http/forms.ts';

/** A rule refused what was asked: 422 with the field it is about, so forms can show it by the field. */
export function refuse(field: string, message: string, status = 422): HttpProblem {
  return new HttpProblem(status, message, message, [{ name: field, reason: message }]);
}

/** Turns a rule's refusal (a 403, 409 or 422 made by refuse()) into form errors; anything else is rethrown. */
export function asFieldErrors(error: unknown): FieldError[] {
  if (error instanceof HttpProblem && [403, 409, 422].includes(error.status) && error.errors?.length) {
    return error.errors.map((e) => ({ field: e.name, message: e.reason }));
  }
  throw error;
}
