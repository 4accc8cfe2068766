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

/*
 * `{% from "x.njk" import y %}` runs the whole top level of x.njk on every render to collect its
 * macros, and each NHS.UK component imports others (label, hint, error message, fieldset…), so a
 * page of forms ran hundreds of template bodies just to define macros again: a fifth of a busy
 * server's time went on it, and as much again on collecting the garbage. Imported without context
 * (the only way our templates and NHS.UK's import), the macros cannot depend on the page importing
 * them, so each template's are collected once and kept with the template. In development templates
 * are read afresh on each render (noCache), so each new template collects its own.
 */
type ExportingTemplate = { env: unknown; path?: string; getExported: (...args: unknown[]) => void };
const keepsExports = new WeakSet<object>();
const exportsOf = new WeakMap<object, unknown>();
const templatePrototype = nunjucks.Template.prototype as unknown as ExportingTemplate;
const collectExports = templatePrototype.getExported;
templatePrototype.getExported = function (this: ExportingTemplate, ...args: unknown[]) {
  const [done] = args;
  // With context (`import … with context`) the macros see the importing page's values: collected each time.
  if (args.length !== 1 || typeof done !== 'function' || !keepsExports.has(this.env as object)) return collectExports.apply(this, args);
  const kept = exportsOf.get(this);
  if (kept) return done(null, kept);
  collectExports.call(this, (error: unknown, exported: Record<string, unknown> | null) => {
    if (error || !exported) return done(error, exported);
    const macros = isDesignSystemComponent(this.path) ? Object.fromEntries(Object.entries(exported).map(([name, macro]) => [name, typeof macro === 'function' ? remembering(macro as Macro) : macro])) : exported;
    exportsOf.set(this, Object.freeze(macros));
    done(null, macros);
  });
};

const componentsDir = path.join(nhsukDist, 'nhsuk', 'components') + path.sep;
const isDesignSystemComponent = (file: string | undefined) => !!file && file.startsWith(componentsDir) && file.endsWith(`${path.sep}macro.njk`);

/*
 * An NHS.UK component's macro draws from its parameters alone (it includes its template with
 * nothing else in scope), and most calls on a page repeat from one request to the next: the search
 * form's selects of needs and distances, a case page's radios and inputs, buttons. Each component
 * keeps the HTML of its last few calls by their parameters. Calls whose parameters are not plain
 * data (a `{% call %}` block's caller, a date, a map), or are long (a header holding the request's
 * CSRF token), are drawn each time, and nothing long is kept.
 */
type Macro = (...args: unknown[]) => unknown;
const CALLS_KEPT = 50;
const LONGEST_KEY = 2_000;
const LONGEST_HTML = 20_000;

function remembering(macro: Macro): Macro {
  const drawn = new Map<string, string>();
  return function (this: unknown, ...args: unknown[]) {
    const key = plainKey(args);
    const kept = key === null ? undefined : drawn.get(key);
    if (kept !== undefined) return new nunjucks.runtime.SafeString(kept);
    const html = macro.apply(this, args);
    if (key !== null && html instanceof nunjucks.runtime.SafeString && String(html).length <= LONGEST_HTML) {
      if (drawn.size >= CALLS_KEPT) drawn.delete(drawn.keys().next().value!);
      drawn.set(key, String(html));
    }
    return html;
  };
}

/** The parameters written out whole (strings, finite numbers, booleans, null, arrays, plain objects, HTML already made safe); null if anything else is there or it is long. */
export function plainKey(value: unknown): string | null {
  const write = (v: unknown): string | null => {
    let out: string | null;
    if ((typeof v === 'string' || v instanceof nunjucks.runtime.SafeString) && String(v).length > LONGEST_KEY) return null;
    if (typeof v === 'string') out = JSON.stringify(v);
    else if (typeof v === 'number') out = Number.isFinite(v) ? `n${v}` : null;
    else if (typeof v === 'boolean' || v === null) out = String(v);
    else if (v === undefined) out = 'u';
    else if (v instanceof nunjucks.runtime.SafeString) out = `s${JSON.stringify(String(v))}`;
    else if (Array.isArray(v)) {
      const items: string[] = [];
      for (const item of v) {
        const written = write(item);
        if (written === null) return null;
        items.push(written);
      }
      out = `[${items.join(',')}]`;
    } else if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
      const entries: string[] = [];
      for (const [k, item] of Object.entries(v)) {
        const written = write(item);
        if (written === null) return null;
        entries.push(`${JSON.stringify(k)}:${written}`);
      }
      out = `{${entries.join(',')}}`;
    } else return null;
    return out;
  };
  const key = write(value);
  return key !== null && key.length <= LONGEST_KEY ? key : null;
}

/** The Nunjucks environment: our views first, then NHS.UK frontend's templates and macros. */
export function createViewEnvironment(moduleViewDirs: string[]): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([platformViews, ...moduleViewDirs, nhsukDist], { noCache: process.env.NODE_ENV === 'development' }),
    { autoescape: true, throwOnUndefined: false },
  );
  keepsExports.add(env);
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
