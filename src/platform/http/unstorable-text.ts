import type { FastifyRequest } from 'fastify';
import { HttpProblem } from './errors.ts';

/**
 * Text PostgreSQL cannot store or JSON cannot carry: a NUL character, or half of a UTF-16
 * surrogate pair. Refused with 400 naming the field, before any route sees it, so no query or
 * audit record fails half-way with a 500.
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isStorable = (text: string) => !text.includes('\u0000') && !loneSurrogate.test(text);

function unstorableFields(value: unknown, at: string, found: string[], depth = 0): void {
  if (found.length >= 10 || depth > 20) return;
  if (typeof value === 'string') {
    if (!isStorable(value)) found.push(at);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => unstorableFields(item, `${at}[${i}]`, found, depth + 1));
  } else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorable(key)) found.push(`${at} (a name)`);
      else unstorableFields(item, at ? `${at}.${key}` : key, found, depth + 1);
    }
  }
}

export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  const found: string[] = [];
  unstorableFields(request.params, 'path', found);
  unstorableFields(request.query, 'query', found);
  unstorableFields(request.body, 'body', found);
  if (found.length) {
    throw new HttpProblem(
      400,
      'Your request has characters that cannot be stored',
      'Remove the invisible control characters (such as NUL) or broken characters from what you typed or pasted, and try again.',
      found.map((name) => ({ name, reason: 'contains a NUL character or a broken (unpaired surrogate) character' })),
    );
  }
}
