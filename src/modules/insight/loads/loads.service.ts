import crypto from 'node:crypto';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import { refuse } from '../../../platform/refusal.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../../social-prescribing/index.ts';
import { canLoadExtracts } from '../insight.policy.ts';
import { looksLikePseudonym, pseudonymOf, type PseudonymKey } from '../pseudonyms/pseudonym-key.ts';
import { isSettingCode } from '../settings.ts';
import type { InsightStore } from '../store/insight-store.ts';
import { headerProblems, loadKinds, type LoadKind } from './layouts.ts';
import * as repo from './loads.repository.ts';

export type { LoadRecord } from './loads.repository.ts';

export type ExtractFile = {
  path: string; fileName: string; format: 'csv' | 'parquet'; kind: string; partner: string;
  /** False when more loads follow at once (the demo): the summary is rebuilt after the last. */
  summarise?: boolean;
};

/** Who loads: a signed-in analyst, or the command line (named by the person running it). */
export type Loader = { actor: Actor | null; name: string; ip: string | null; key: () => PseudonymKey; areaDeprivation: () => Promise<Map<string, number>> };

/**
 * Loads one extract, all or nothing: the file is read into a staging table, every row checked,
 * NHS numbers replaced by keyed pseudonyms (they are never stored), people on the national data
 * opt-out list left out, and only a file with no problems is kept. A refused file is listed with
 * its report, so the partner can be told exactly which rows to mend.
 */
export async function loadExtract(store: InsightStore, db: Database, loader: Loader, file: ExtractFile, id: string = crypto.randomUUID()): Promise<repo.LoadRecord> {
  if (loader.actor && !canLoadExtracts(loader.actor)) throw refuse.forbidden('Loading extracts is for analysts.');
  if (!loadKinds.includes(file.kind as LoadKind)) throw refuse.invalid('kind', `Choose what kind of extract this is (one of ${loadKinds.join(', ')}).`);
  const kind = file.kind as LoadKind;
  const partner = file.partner.trim();
  if (!partner) throw refuse.invalid('partner', 'Enter the partner the extract comes from.');
  const deprivation = kind === 'people' ? await loader.areaDeprivation() : new Map<string, number>();

  const record = await store.write(async (w) => {
    let columns: string[];
    try {
      columns = await repo.stageFile(w, file.path, file.format, kind);
    } catch (error) {
      throw refuse.invalid('file', `The file could not be read as ${file.format === 'csv' ? 'CSV with a header row' : 'Parquet'}: ${(error as Error).message.split('\n')[0]}`);
    }
    const base = { id, kind, partner, fileName: file.fileName, loadedBy: loader.name, loadedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), periodFrom: null, periodTo: null };
    const rowsRead = await repo.countStaged(w);
    const refused = async (problems: repo.LoadProblem[]) => {
      const result = { ...base, status: 'refused' as const, rowsRead, rowsLoaded: 0, rowsOptedOut: 0, problems };
      await repo.recordLoad(w, result);
      return result;
    };
    const header = headerProblems(kind, columns);
    if (header.length) return refused(header.map((problem) => ({ problem, rows: rowsRead, examples: [] })));
    if (rowsRead === 0) return refused([{ problem: 'The file has a header but no rows.', rows: 0, examples: [] }]);

    const idColumn = kind === 'unit-costs' ? null : columns.includes('nhs_number') ? 'nhs_number' : 'pseudonym';
    let keyVersion = '';
    if (idColumn) {
      const raw = await repo.distinctIds(w, idColumn);
      let rows: string[][];
      if (idColumn === 'nhs_number') {
        const key = loader.key();
        keyVersion = key.version;
        rows = raw.map((value) => {
          const number = normaliseNhsNumber(value);
          return [value, isValidNhsNumber(number) ? pseudonymOf(key, number) : ''];
        });
      } else {
        keyVersion = 'given';
        rows = raw.map((value) => [value, looksLikePseudonym(value) ? value : '']);
      }
      await repo.putIds(w, rows);
    }
    const problems = await repo.findProblems(w, kind, idColumn);
    if (problems.length) return refused(problems);

    const rowsOptedOut = idColumn && kind !== 'opt-out' ? await repo.countOptedOut(w, idColumn) : 0;
    let rowsLoaded: number;
    if (kind === 'people') {
      await repo.putAreaDeprivation(w, [...deprivation].map(([lsoa, decile]) => [lsoa, String(decile)]));
      rowsLoaded = await repo.insertPeople(w, id, idColumn!, keyVersion);
    } else if (kind === 'unit-costs') rowsLoaded = await repo.insertUnitCosts(w, id);
    else if (kind === 'opt-out') rowsLoaded = await repo.insertOptOut(w);
    else if (isSettingCode(kind)) rowsLoaded = await repo.insertEvents(w, id, idColumn!, kind);
    else throw refuse.invalid('kind', 'Unknown kind of extract.');
    const period = isSettingCode(kind) ? await repo.periodOfLoad(w, id) : { from: null, to: null };
    if (file.summarise !== false) await repo.rebuildSummary(w);
    const result = { ...base, status: 'loaded' as const, rowsRead, rowsLoaded, rowsOptedOut, periodFrom: period.from, periodTo: period.to, problems: [] };
    await repo.recordLoad(w, result);
    return result;
  });
  await recordAudit(db, {
    actor: loader.actor,
    action: record.status === 'loaded' ? 'insight_loaded' : 'insight_load_refused',
    recordType: 'insight_load',
    recordId: id,
    ip: loader.ip,
    details: { kind, partner, fileName: file.fileName, by: loader.name, rowsRead: record.rowsRead, rowsLoaded: record.rowsLoaded, rowsOptedOut: record.rowsOptedOut, problems: record.problems.length },
  });
  return record;
}

/** Rebuilds the summary the pages read (after loads made with `summarise: false`). */
export async function summarise(store: InsightStore): Promise<void> {
  await store.write((w) => repo.rebuildSummary(w));
}

/** Every load, for the module's own bookkeeping (the demo); people's views go through listLoads. */
export async function listLoadRecords(store: InsightStore): Promise<repo.LoadRecord[]> {
  return repo.listLoads(store);
}

/** Takes out what the given loads brought in (an unfinished demo), in one transaction. */
export async function removeLoadsQuietly(store: InsightStore, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await store.write(async (w) => {
    for (const id of ids) await repo.removeLoadData(w, id);
    await repo.rebuildSummary(w);
  });
}

export async function listLoads(store: InsightStore, db: Database, actor: Actor, ip: string): Promise<repo.LoadRecord[]> {
  if (!canLoadExtracts(actor)) throw refuse.forbidden('Loads are for analysts.');
  const loads = await repo.listLoads(store);
  await recordAudit(db, { actor, action: 'viewed', recordType: 'insight_loads', ip, details: { shown: loads.length } });
  return loads;
}

export async function viewLoad(store: InsightStore, db: Database, actor: Actor, id: string, ip: string): Promise<repo.LoadRecord> {
  if (!canLoadExtracts(actor)) throw refuse.forbidden('Loads are for analysts.');
  const load = await repo.findLoad(store, id);
  if (!load) throw refuse.notFound('Load');
  await recordAudit(db, { actor, action: 'viewed', recordType: 'insight_load', recordId: id, ip });
  return load;
}

/** Removes a load's rows and rebuilds the summary; the load stays listed as removed. */
export async function removeLoad(store: InsightStore, db: Database, actor: Actor, id: string, ip: string): Promise<repo.LoadRecord> {
  if (!canLoadExtracts(actor)) throw refuse.forbidden('Removing loads is for analysts.');
  const load = await repo.findLoad(store, id);
  if (!load) throw refuse.notFound('Load');
  if (load.status !== 'loaded') throw refuse.conflict('form', `This load is ${load.status === 'removed' ? 'already removed' : 'was refused, so it holds nothing to remove'}.`);
  await store.write(async (w) => {
    await repo.removeLoadData(w, id);
    await repo.rebuildSummary(w);
  });
  await recordAudit(db, { actor, action: 'insight_load_removed', recordType: 'insight_load', recordId: id, ip, details: { kind: load.kind, partner: load.partner, fileName: load.fileName } });
  return load;
}
