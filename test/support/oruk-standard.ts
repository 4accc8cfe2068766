import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * Checks JSON against the official Open Referral UK 3.0 schemas, read from the shared standards
 * folder beside the project (never copied into it). Two modes:
 * - official: the schemas as published (they accept extra fields);
 * - strict: the same schemas with unevaluatedProperties: false on every object, as the official
 *   ORUK validator behaves: it reports any field the specification does not name.
 */
export const orukStandardDir = path.resolve(import.meta.dirname, '../../../shared/standards/oruk-3.0');
const SCHEMA_URL = 'https://openreferraluk.org/specifications/3.0/schema/';

type Schema = Record<string, unknown>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

const pageProperties = {
  total_items: { type: 'integer' },
  total_pages: { type: 'integer' },
  page_number: { type: 'integer' },
  size: { type: 'integer' },
  first_page: { type: 'boolean' },
  last_page: { type: 'boolean' },
  empty: { type: 'boolean' },
};

function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema)) out[k] = closeObjects(v);
  if (out.properties && typeof out.properties === 'object') out.unevaluatedProperties = false;
  return out;
}

function loadSchemas(strict: boolean): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const file of fs.readdirSync(path.join(orukStandardDir, 'schema'))) {
    let schema = JSON.parse(fs.readFileSync(path.join(orukStandardDir, 'schema', file), 'utf8')) as Schema;
    if (strict) {
      schema = closeObjects(schema) as Schema;
      const props = schema.properties as Schema | undefined;
      // The official examples nest the service in a service_at_location and the services in an
      // organization, though the schemas do not name those fields; allow exactly those two.
      if (file === 'service_at_location.json' && props) props.service = { $ref: `${SCHEMA_URL}service.json` };
      if (file === 'organization.json' && props) props.services = { type: 'array', items: { $ref: `${SCHEMA_URL}service.json` } };
      if (file.endsWith('_list.json') && props) {
        // The page fields sit in an allOf, which a closed object could not see into: name them here.
        schema.properties = { ...pageProperties, ...props };
        delete schema.allOf;
      }
    }
    ajv.addSchema(schema, `${SCHEMA_URL}${file}`);
  }
  return ajv;
}

let official: Ajv2020 | undefined;
let strict: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(file: string, mode: 'official' | 'strict'): ValidateFunction {
  const key = `${mode}:${file}`;
  if (!compiled.has(key)) {
    const ajv = mode === 'official' ? (official ??= loadSchemas(false)) : (strict ??= loadSchemas(true));
    const fn = ajv.getSchema(`${SCHEMA_URL}${file}`);
    if (!fn) throw new Error(`no ORUK schema ${file}`);
    compiled.set(key, fn);
  }
  return compiled.get(key)!;
}

/** Fields sent as null or as an empty list, which an ORUK response should leave out. */
export function emptyValues(value: unknown, at = ''): string[] {
  if (value === null) return [`${at || '/'} is null`];
  if (Array.isArray(value)) return value.length === 0 ? [`${at} is an empty list`] : value.flatMap((v, i) => emptyValues(v, `${at}/${i}`));
  if (typeof value === 'object') return Object.entries(value as Schema).flatMap(([k, v]) => emptyValues(v, `${at}/${k}`));
  return [];
}

/**
 * Problems with a response body against an ORUK schema file (like 'service.json'), in both modes,
 * plus null or empty-list fields. An empty array means it conforms.
 */
export function orukProblems(file: string, body: unknown): string[] {
  const problems: string[] = [];
  for (const mode of ['official', 'strict'] as const) {
    const validate = validator(file, mode);
    if (!validate(body)) {
      problems.push(...(validate.errors ?? []).map((e) => `${mode} ${file}: ${e.instancePath || '/'} ${e.message}${e.params && 'unevaluatedProperty' in e.params ? ` (${String(e.params.unevaluatedProperty)})` : ''}`));
    }
  }
  // An empty page's contents is the one empty list the standard shows.
  const body2 = body && typeof body === 'object' && 'contents' in body && Array.isArray((body as Schema).contents) && !(body as { contents: unknown[] }).contents.length
    ? { ...(body as Schema), contents: undefined }
    : body;
  return [...problems, ...emptyValues(body2)];
}

/** Problems with a page whose contents are full records (full=true): the envelope, then each item strictly as itemFile. */
export function orukPageOfProblems(listFile: string, itemFile: string, body: { contents?: unknown[] }): string[] {
  const envelope = { ...body, contents: [] };
  return [...orukProblems(listFile, envelope), ...(body.contents ?? []).flatMap((item, i) => orukProblems(itemFile, item).map((p) => `contents/${i}: ${p}`))];
}
