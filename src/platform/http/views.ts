import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { markAcronyms } from '../glossary.ts';
import { formatDate } from '../dates.ts';

const require = createRequire(import.meta.url);
export const nhsukDist = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');
export const platformViews = path.resolve(import.meta.dirname, '../views');

/**
 * NHS.UK frontend's stylesheet with its web font taken out: the @font-face rules load Frutiger from
 * assets.nhs.uk, and the font is licensed for the NHS's own services. Without them the design
 * system's own fallback stack (Arial, sans-serif) is what every page uses.
 */
export function designSystemStylesheet(): string {
  const css = fs.readFileSync(path.join(nhsukDist, 'nhsuk/nhsuk-frontend.min.css'), 'utf8');
  return css.replace(/@font-face\{[^}]*\}/g, '').replace(/"?Frutiger W01"?,/g, '');
}

/** The Nunjucks environment: our views first, then NHS.UK frontend's templates and macros. */
export function createViewEnvironment(moduleViewDirs: string[]): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([platformViews, ...moduleViewDirs, nhsukDist], { noCache: process.env.NODE_ENV === 'development' }),
    { autoescape: true, throwOnUndefined: false },
  );
  // Nunjucks' own trim is /^\s*|\s*$/ over the whole string, which backtracks through every run of
  // spaces: on a long page of NHS.UK macros it was a seventh of the search page's CPU.
  env.addFilter('trim', (value: unknown) => {
    if (value instanceof nunjucks.runtime.SafeString) return new nunjucks.runtime.SafeString(String(value).trim());
    return value === null || value === undefined ? '' : String(value).trim();
  });
  // The header macro draws the NHS logo when no other image is given; without a partnership logo there is none.
  env.addFilter('withoutNhsLogo', (html: unknown) => new nunjucks.runtime.SafeString(String(html).replace(/<svg class="nhsuk-header__logo"[\s\S]*?<\/svg>/, '')));
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
