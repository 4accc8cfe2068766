import type { FieldError } from '../../../platform/http/forms.ts';

/* What the listings' edit forms share: the error summary's order, and the conflict callout. */

/** Errors in the order their fields appear on the page, so the summary reads top to bottom. */
export function inFieldOrder(errors: FieldError[], order: string[]): FieldError[] {
  const rank = (f: string) => {
    const i = order.indexOf(f);
    return i === -1 ? order.length : i;
  };
  return [...errors].sort((a, b) => rank(a.field) - rank(b.field));
}

/**
 * Shown above an edit form when someone else saved first (409): what happened, in the callout the
 * error summary links to (`#version`); the form keeps what was typed and takes the newer version.
 */
export const conflictText = (what: string) =>
  `Someone else saved changes to this ${what} while you were editing it. Your changes have not been saved. Check the details below, then save again to replace theirs.`;

/** A refusal about the whole form points at the callout above it. */
export const formErrorsAnchor = (field: string) => (field === 'form' ? 'version' : field);
