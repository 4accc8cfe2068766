import type { z } from 'zod';

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
