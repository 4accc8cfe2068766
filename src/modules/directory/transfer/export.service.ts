import { stringify } from 'csv-stringify/sync';
import type { Actor } from '../../../platform/actor.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import { spreadsheetSafe } from '../../../platform/csv.ts';
import { ukToday } from '../../../platform/dates.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canManageDirectory } from '../directory.policy.ts';
import { loadOrganisationRecords } from '../directory.repository.ts';
import type { OrganisationRecord, ServiceRecord } from '../directory.types.ts';
import { commonGroundExtras, compact, organisationExportRecord, orukService, type OrukContext } from '../oruk/oruk.mapper.ts';
import { servicesInContext } from '../oruk/oruk.service.ts';
import { CSV_COLUMNS, serviceCsvRows } from './csv-format.ts';
import { organisationIdsWithoutServicesAfter, serviceIdsAfter } from './transfer.repository.ts';

/*
 * The whole directory as a file. NDJSON: one Open Referral UK 3.0 service a line, with what ORUK
 * cannot carry under `common_ground`, then a line for each organisation that has no services, so
 * that importing it again gives the same records. CSV: the
 * columns of docs/import-csv.md, one row per service at each place.
 */

export const exportFormats = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

async function* serviceChunks(db: Queryable): AsyncGenerator<{ services: ServiceRecord[]; context: OrukContext }> {
  let after: string | null = null;
  for (;;) {
    const ids = await serviceIdsAfter(db, after, 250);
    if (!ids.length) return;
    yield await servicesInContext(db, ids);
    after = ids[ids.length - 1];
  }
}

/** A cell a spreadsheet shows as text, never runs as a formula; a plain number (-1.78) stays a number. */
const safeCell = (value: string) => (/^[-+]?\d+(\.\d+)?$/.test(value) ? value : spreadsheetSafe(value));

/**
 * The export a piece at a time (lines of text), to stream to a response or a file. The CSV starts
 * with a UTF-8 byte order mark, so that Excel reads "Café" as it is, not "CafÃ©".
 */
export async function* exportDirectory(db: Queryable, format: ExportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield `\uFEFF${stringify([[...CSV_COLUMNS]])}`;
  for await (const { services, context } of serviceChunks(db)) {
    if (format === 'csv') {
      yield stringify(services.flatMap((s) => serviceCsvRows(s, context.organisations.get(s.organisationId)).map((row) => row.map(safeCell))));
    } else {
      yield services
        .map((s) => `${JSON.stringify({ ...orukService(s, context), ...compact({ common_ground: commonGroundExtras(s, context.organisations.get(s.organisationId)) }) })}\n`)
        .join('');
    }
  }
  // Organisations with no services are in no service's line: the NDJSON gives them lines of their own.
  if (format === 'ndjson') {
    for await (const organisations of organisationChunksWithoutServices(db)) {
      yield organisations.map((o) => `${JSON.stringify(organisationExportRecord(o))}\n`).join('');
    }
  }
}

async function* organisationChunksWithoutServices(db: Queryable): AsyncGenerator<OrganisationRecord[]> {
  let after: string | null = null;
  for (;;) {
    const ids = await organisationIdsWithoutServicesAfter(db, after, 250);
    if (!ids.length) return;
    yield await loadOrganisationRecords(db, ids);
    after = ids[ids.length - 1];
  }
}

/**
 * The whole directory for a person to download: refused (before anything is sent) unless they
 * manage the directory. The file is named for today's date in the UK.
 */
export function downloadDirectory(db: Queryable, actor: Actor, format: ExportFormat): { fileName: string; lines: AsyncGenerator<string> } {
  if (!canManageDirectory(actor)) throw refuse.forbidden('Only partnership admins import and export the directory.');
  return { fileName: `directory-${ukToday()}.${format}`, lines: exportDirectory(db, format) };
}
