/**
 * The one way a service says no. Services (and policies, through them) throw a Refusal; the
 * platform turns it into the form again with the NHS error summary (pages) or
 * application/problem+json (API), with the status its kind gives. Services never import Fastify.
 */
export type RefusalKind = 'bad_request' | 'invalid' | 'unauthenticated' | 'conflict' | 'forbidden' | 'not_found' | 'gone' | 'too_many';

const statusOfKind: Record<RefusalKind, number> = { bad_request: 400, invalid: 422, unauthenticated: 401, conflict: 409, forbidden: 403, not_found: 404, gone: 410, too_many: 429 };

export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
    /** The form field the refusal is about, or 'form' for the whole form. */
    readonly field = 'form',
    /** A short title for the error page or problem; the message when not given. */
    readonly title?: string,
    /** Every field at fault, when a whole record breaks several rules at once (the first is field and message). */
    private readonly fieldErrors?: { field: string; message: string }[],
  ) {
    super(message);
  }

  /** The fields at fault and what is wrong with each: the one field, or all of them. */
  get fields(): { field: string; message: string }[] {
    return this.fieldErrors ?? [{ field: this.field, message: this.message }];
  }

  get status(): number {
    return statusOfKind[this.kind];
  }
}

/** Short forms for the common refusals. */
export const refuse = {
  /** A request parameter the API cannot use (400), named as a schema check names it ('querystring.postcode'). */
  badParameter: (name: string, message: string) => new Refusal('bad_request', message, name, 'Your request has problems'),
  /** The input breaks a rule (422), shown by its field. */
  invalid: (field: string, message: string) => new Refusal('invalid', message, field),
  /** The record's state does not allow it now, or someone else changed it first (409). */
  conflict: (field: string, message: string) => new Refusal('conflict', message, field),
  /** A policy said no (403). */
  forbidden: (message = 'You do not have permission to do that.', field = 'form') => new Refusal('forbidden', message, field, 'Forbidden'),
  /** No such record, or one the actor may not know exists (404). */
  notFound: (what = 'Page') => new Refusal('not_found', `${what} not found`, 'form', `${what} not found`),
  /** Several fields break rules at once (a whole record sent through the API): 422 naming each. */
  invalidFields: (errors: { field: string; message: string }[], title = 'Your request has problems') =>
    new Refusal('invalid', errors[0].message, errors[0].field, title, errors),
  /** Who is asking could not be confirmed: a wrong email or password (401). */
  unauthenticated: (field: string, message: string) => new Refusal('unauthenticated', message, field),
  /** It was there but is no longer: a spent or expired link (410). */
  gone: (title: string, message = title) => new Refusal('gone', message, 'form', title),
  /** Too many attempts (429). */
  tooMany: (message: string, field = 'form') => new Refusal('too_many', message, field, 'Too many requests'),
};

/**
 * The optimistic-locking convention: an update names the version it read
 * (`… where id = ${id} and version = ${version} returning version`); no row back means someone
 * saved first, and the service throws this.
 */
export const staleVersion = (what = 'record') =>
  new Refusal(
    'conflict',
    `Someone else changed this ${what} while you were editing it. Your changes have not been saved. Check the ${what} as it is now, then make your changes again: what you typed is kept below.`,
    'form',
    `Someone else changed this ${what} while you were editing it`,
  );
