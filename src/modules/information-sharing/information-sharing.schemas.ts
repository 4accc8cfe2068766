import { z } from 'zod';
import { blankToUndefined } from '../../platform/http/forms.ts';

/** Form field helpers shared by the module's features. */

/** An optional field: blank is absent. */
export const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** A required field: blank gives the "enter …" message, anything else is checked by the schema. */
export const req = <T extends z.ZodType>(schema: T, message: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .any()
      .superRefine((v, ctx) => {
        if (v === undefined || v === null) ctx.addIssue({ code: 'custom', message });
      })
      .pipe(schema as z.ZodType<z.output<T>, unknown>),
  );

export const text = (label: string, max = 5000) => z.string().trim().max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);

/** Checkboxes: one value or several, as a list (the platform's). */
export { many } from '../../platform/form-fields.ts';
