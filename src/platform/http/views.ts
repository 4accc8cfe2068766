import path from 'node:path';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { markAcronyms } from '../glossary.ts';

const require = createRequire(import.meta.url);
export const nhsukDist = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');
export const platformViews = path.resolve(import.meta.dirname, '../views');

// Made once: toLocaleString with options builds a new formatter on every call, which took half
// the time of pages listing hundreds of dates (the social prescribing caseload).
const dateFormats = {
  date: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }),
  datetime: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
};

export function formatDate(value: unknown, style: 'date' | 'datetime' = 'date'): string {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(String(value).length === 10 ? `${value}T12:00:00Z` : String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  return dateFormats[style].format(date);
}

/** The Nunjucks environment: our views first, then NHS.UK frontend's templates and macros. */
export function createViewEnvironment(moduleViewDirs: string[]): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([platformViews, ...moduleViewDirs, nhsukDist], { noCache: process.env.NODE_ENV === 'development' }),
    { autoescape: true, throwOnUndefined: false },
  );
  env.addFilter('abbr', (text: unknown) => new nunjucks.runtime.SafeString(markAcronyms(text)));
  env.addFilter('date', (value: unknown) => formatDate(value));
  env.addFilter('datetime', (value: unknown) => formatDate(value, 'datetime'));
  // Maps field errors to the shape NHS.UK macros take: errorMessage for a field, errorList for the summary.
  env.addFilter('fieldError', (errors: { field: string; message: string }[] | undefined, field: string) => {
    const found = errors?.find((e) => e.field === field);
    return found ? { text: found.message } : undefined;
  });
  env.addFilter('errorList', (errors: { field: string; message: string }[] | undefined) =>
    (errors ?? []).map((e) => ({ text: e.message, href: `#${e.field.replace(/\./g, '-')}` })),
  );
  return env;
}
