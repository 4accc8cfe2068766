import { settingCodes, type SettingCode } from '../settings.ts';

/**
 * The documented file layouts (docs/insight-layouts.md). Every file has a header row; columns may
 * come in any order. A person is named by `nhs_number` (pseudonymised at load, never stored) or by
 * `pseudonym` (made on the partner's own machine with `npm run cli -- pseudonymise`).
 */
export type LoadKind = 'people' | 'unit-costs' | SettingCode;
export const loadKinds: LoadKind[] = ['people', 'unit-costs', ...settingCodes];

/**
 * There is one national data opt-out list: the one the information governance lead uploads in
 * information sharing. Insight once had an upload of its own; a request for it is told where the
 * list now lives.
 */
export const OPT_OUT_MOVED =
  'The national data opt-out list is not loaded here. The information governance lead uploads it in Information sharing (/sharing/opt-out), and every load leaves out the people on it.';

type Layout = { required: string[]; optional: string[]; personId: boolean; describe: string };

const activity: Layout = {
  required: ['start_date', 'units'],
  optional: ['end_date', 'cost', 'setting'],
  personId: true,
  describe: 'an activity extract (start_date, end_date, units, cost)',
};

export const layouts: Record<'people' | 'unit-costs' | 'activity', Layout> = {
  people: {
    required: ['year_of_birth', 'sex'],
    optional: ['lsoa', 'gp_practice', 'locality', 'date_of_death', 'imd_decile'],
    personId: true,
    describe: 'a person register (year_of_birth, sex, lsoa, gp_practice, locality, date_of_death)',
  },
  'unit-costs': { required: ['financial_year', 'setting', 'unit_cost'], optional: [], personId: false, describe: 'a unit-cost table (financial_year, setting, unit_cost)' },
  activity,
};

export const layoutOf = (kind: LoadKind) => layouts[kind === 'people' || kind === 'unit-costs' ? kind : 'activity'];

const ID_COLUMNS = ['nhs_number', 'pseudonym'];

/** What is wrong with a file's header for this kind of load, naming the columns; empty when right. */
export function headerProblems(kind: LoadKind, columns: string[]): string[] {
  const layout = layoutOf(kind);
  const problems: string[] = [];
  const have = new Set(columns);
  // A file that fits another layout better is probably the wrong file: say which it looks like.
  const fits = (l: Layout) => l.required.every((c) => have.has(c));
  if (!fits(layout)) {
    const other = Object.entries(layouts).find(([, l]) => l !== layout && fits(l) && (!l.personId || ID_COLUMNS.some((c) => have.has(c))));
    if (other) problems.push(`This looks like ${other[1].describe}, not ${layout.describe}. Choose the right kind of load or the right file.`);
  }
  const missing = layout.required.filter((c) => !have.has(c));
  if (missing.length) problems.push(`Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);
  if (layout.personId) {
    const ids = ID_COLUMNS.filter((c) => have.has(c));
    if (ids.length === 0) problems.push('Missing column: nhs_number or pseudonym, to say whose record each row is.');
    if (ids.length === 2) problems.push('Give nhs_number or pseudonym, not both.');
  }
  const known = new Set([...layout.required, ...layout.optional, ...(layout.personId ? ID_COLUMNS : [])]);
  const extra = columns.filter((c) => !known.has(c));
  if (extra.length) problems.push(`Column${extra.length > 1 ? 's' : ''} not in the layout: ${extra.join(', ')}. Remove ${extra.length > 1 ? 'them' : 'it'} (so nothing unexpected, such as a name, is loaded).`);
  return problems;
}
