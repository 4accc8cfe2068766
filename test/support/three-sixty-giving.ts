import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * Checks JSON against the official 360Giving Data Standard 1.4.3 package schema, read from the
 * shared standards folder beside the project (never copied into it). As the standard's notes say:
 * draft 2020-12, strict off, $schema dropped, and the grant schema registered under the URL the
 * package schema's grants.items.$ref names.
 */
export const threeSixtyGivingDir = path.resolve(import.meta.dirname, '../../../shared/standards/360giving-1.4.3');
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
type Schema = Record<string, unknown>;

let validator: ValidateFunction | undefined;

export function threeSixtyGivingValidator(): ValidateFunction {
  if (validator) return validator;
  const read = (file: string) => {
    const schema = JSON.parse(fs.readFileSync(path.join(threeSixtyGivingDir, file), 'utf8')) as Schema;
    delete schema.$schema;
    return schema;
  };
  const pkg = read('360-giving-package-schema.json');
  const grant = read('360-giving-schema.json');
  const ref = ((pkg.properties as Schema).grants as { items: { $ref: string } }).items.$ref;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...grant, $id: ref });
  validator = ajv.compile(pkg);
  return validator;
}

/** The schema's complaints about a package, as readable lines (empty when valid). */
export function threeSixtyGivingErrors(data: unknown): string[] {
  const validate = threeSixtyGivingValidator();
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
