import crypto from 'node:crypto';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import { refuse } from '../../../platform/refusal.ts';
import { isUuid } from '../../../platform/ids.ts';
import { allowFlow, optOutList } from '../../information-sharing/index.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../../social-prescribing/index.ts';
import { canLoadExtracts } from '../insight.policy.ts';
import { hmacPads, looksLikePseudonym, pseudonymOf, type HmacPads, type PseudonymKey } from '../pseudonyms/pseudonym-key.ts';
import { isSettingCode } from '../settings.ts';
import type { InsightStore } from '../store/insight-store.ts';
import { headerProblems, loadKinds, OPT_OUT_MOVED, type LoadKind } from './layouts.ts';
import * as repo from './loads.repository.ts';
import * as organisations from './organisations.repository.ts';

export type { LoadRecord } from './loads.repository.ts';

/** The one organisation of a kind in the directory (the demo's council), or undefined when there is none or several. */
export async function onlyOrganisationOfKind(db: Database, kind: 'partnership' | 'council'): Promise<organisations.Organisation | undefined> {
  const found = await organisations.organisationsOfKind(db, kind);
  return found.length === 1 ? found[0] : undefined;
}

export type ExtractFile = {
  path: string; fileName: string; format: 'csv' | 'parquet'; kind: string;
  /** The directory organisation the extract comes from: an active agreement must cover its flow to the partnership. */
  partnerOrganisationId: string;
  /** False when more loads follow at once (the demo): the summary is rebuilt after the last. */
  summarise?: boolean;
};

/** How many different people's identifiers are checked at a time. */
const ID_BATCH = 50_000;

/** Who loads: a signed-in analyst, or the command line (named by the person running it). */
export type Loader = { actor: Actor | null; name: string; ip: string | null; key: () => PseudonymKey; areaDeprivation: () => Promise<Map<string, number>> };

/** What each kind of extract carries, in the information sharing catalogue's terms. */
const itemsCarried = (kind: LoadKind): string[] => {
  if (kind === 'people') return ['insight.area'];
  if (isSettingCode(kind)) return ['insight.service_use'];
  // Unit costs are prices: they share nobody's care or area.
  return [];
};

/**
 * The national data opt-out list's NHS numbers and the partnership key's HMAC pads, with which the
 * store makes their pseudonyms (the same as pseudonymOf). A file of pseudonyms was made with that
 * key on the partner's machine; if the key has only now been made, it cannot be the one, and the
 * list could not be applied, so the load stops.
 */
async function optOutNumbers(db: Database, loader: Loader, idColumn: 'nhs_number' | 'pseudonym'): Promise<{ numbers: string[]; pads: HmacPads | null }> {
  const numbers = await optOutList(db);
  if (!numbers.length) return { numbers, pads: null };
  const key = loader.key();
  if (idColumn === 'pseudonym' && key.createdNow) {
    throw refuse.conflict('file', `This file names people by pseudonym, but the partnership had no pseudonymisation key until now (a new one is in ${key.file}), so the national data opt-out list cannot be applied to it. Configure INSIGHT_KEY_FILE with the key the partner used, then load the file again.`);
  }
  return { numbers, pads: hmacPads(key) };
}

/** A load whose kind, partner and agreement are checked: `run` reads and keeps the file. */
export type AllowedLoad = { partner: string; run: (store: InsightStore, id?: string, path?: string) => Promise<repo.LoadRecord> };

/**
 * Checks a load before any of it is read: the person may load, the kind is known, the partner is
 * an organisation in the directory, and an active information sharing agreement covers the flow
 * of what the file carries from that partner to the partnership (the directory's organisation of
 * kind "Health and care partnership", which holds the store; not the analyst's own organisation,
 * which may be a partner itself). The allowed flow is audited against the agreement; a refusal
 * (409) names what is missing, and nothing is loaded.
 */
export async function allowLoad(db: Database, loader: Loader, file: ExtractFile): Promise<AllowedLoad> {
  if (loader.actor && !canLoadExtracts(loader.actor)) throw refuse.forbidden('Loading extracts is for analysts.');
  if (file.kind === 'opt-out') throw refuse.invalid('kind', OPT_OUT_MOVED);
  if (!loadKinds.includes(file.kind as LoadKind)) throw refuse.invalid('kind', `Choose what kind of extract this is (one of ${loadKinds.join(', ')}).`);
  const kind = file.kind as LoadKind;
  const partner = isUuid(file.partnerOrganisationId) ? await organisations.organisationById(db, file.partnerOrganisationId) : undefined;
  if (!partner) throw refuse.invalid('partnerOrganisationId', 'Choose the partner organisation the extract comes from, from the directory.');
  const dataItems = itemsCarried(kind);
  let agreementId: string | null = null;
  if (dataItems.length) {
    const partnership = await organisations.organisationsOfKind(db, 'partnership');
    if (partnership.length !== 1) {
      throw refuse.conflict('partnerOrganisationId', partnership.length ? 'The directory holds more than one health and care partnership organisation, so Common Ground cannot tell which one receives this load. Ask an administrator to merge or correct them.' : 'The directory has no health and care partnership organisation to receive this load under an agreement. Ask an administrator to add the partnership to the directory.');
    }
    const allowed = await allowFlow(db, loader.actor, { flowType: 'insight_load', fromOrganisationId: partner.id, toOrganisationId: partnership[0].id, dataItems, reference: file.fileName, field: 'partnerOrganisationId' });
    agreementId = allowed.basis === 'agreement' ? allowed.agreementId : null;
  }
  return { partner: partner.name, run: (store, id, path) => keepExtract(store, db, loader, path ? { ...file, path } : file, kind, { ...partner, agreementId }, id) };
}

/**
 * Loads one extract, all or nothing, once allowLoad has checked it may be: the file is read into a
 * staging table, every row checked, NHS numbers replaced by keyed pseudonyms (they are never
 * stored), people on the national data opt-out list left out, and only a file with no problems is
 * kept. A refused file is listed with its report, so the partner can be told exactly which rows to
 * mend.
 */
export async function loadExtract(store: InsightStore, db: Database, loader: Loader, file: ExtractFile, id: string = crypto.randomUUID()): Promise<repo.LoadRecord> {
  return (await allowLoad(db, loader, file)).run(store, id);
}

async function keepExtract(store: InsightStore, db: Database, loader: Loader, file: ExtractFile, kind: LoadKind, from: organisations.Organisation & { agreementId: string | null }, id: string = crypto.randomUUID()): Promise<repo.LoadRecord> {
  const partner = from.name;
  const deprivation = kind === 'people' ? await loader.areaDeprivation() : new Map<string, number>();

  // First the file is read and each person's pseudonym made, into the connection's temporary
  // tables only; then, in one transaction, everything the store keeps.
  const record = await store.stageThenWrite(async (w) => {
    let columns: string[];
    try {
      columns = await repo.stageFile(w, file.path, file.format, kind);
    } catch (error) {
      throw refuse.invalid('file', `The file could not be read as ${file.format === 'csv' ? 'CSV with a header row' : 'Parquet'}: ${(error as Error).message.split('\n')[0]}`);
    }
    const rowsRead = await repo.countStaged(w);
    const header = headerProblems(kind, columns);
    const idColumn = kind === 'unit-costs' ? null : columns.includes('nhs_number') ? 'nhs_number' as const : 'pseudonym' as const;
    let keyVersion = '';
    if (idColumn && !header.length && rowsRead > 0) {
      // Each different value is checked here once; its pseudonym is made in the store, in parallel,
      // except for the few values that are not valid ('') or not written as the bare number.
      let exception: (value: string) => string | undefined;
      let pads: HmacPads | null = null;
      if (idColumn === 'nhs_number') {
        const key = loader.key();
        keyVersion = key.version;
        pads = hmacPads(key);
        exception = (value) => {
          const number = normaliseNhsNumber(value);
          if (!isValidNhsNumber(number)) return '';
          return number === value ? undefined : pseudonymOf(key, number);
        };
      } else {
        keyVersion = 'given';
        exception = (value) => (looksLikePseudonym(value) ? undefined : '');
      }
      const people = await repo.distinctIds(w, idColumn);
      for (let first = 1; first <= people; first += ID_BATCH) {
        const exceptions: string[][] = [];
        for (const value of await repo.idBatch(w, first, first + ID_BATCH - 1)) {
          const made = exception(value);
          if (made !== undefined) exceptions.push([value, made]);
        }
        await repo.putIdExceptions(w, exceptions);
      }
      await repo.finishIds(w, pads);
    }
    return { rowsRead, header, idColumn, keyVersion };
  }, async (w, { rowsRead, header, idColumn, keyVersion }) => {
    const base = { id, kind, partner, fileName: file.fileName, loadedBy: loader.name, loadedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), periodFrom: null, periodTo: null };
    const refused = async (problems: repo.LoadProblem[]) => {
      const result = { ...base, status: 'refused' as const, rowsRead, rowsLoaded: 0, rowsOptedOut: 0, problems };
      await repo.recordLoad(w, result);
      return result;
    };
    if (header.length) return refused(header.map((problem) => ({ problem, rows: rowsRead, examples: [] })));
    if (rowsRead === 0) return refused([{ problem: 'The file has a header but no rows.', rows: 0, examples: [] }]);

    let anyListed = false;
    if (idColumn) {
      // The one national data opt-out list, kept by the information governance lead in information
      // sharing (NHS numbers, in the application database), pseudonymised with the partnership's key
      // for this load: it applies to files of NHS numbers and of pseudonyms alike.
      const list = await optOutNumbers(db, loader, idColumn);
      anyListed = list.numbers.length > 0;
      await repo.useOptOutList(w, list.numbers, list.pads);
    }
    const problems = await repo.findProblems(w, kind, idColumn);
    if (problems.length) return refused(problems);

    const rowsOptedOut = idColumn && anyListed ? await repo.countOptedOut(w, idColumn) : 0;
    let rowsLoaded: number;
    let period: { from: string | null; to: string | null } = { from: null, to: null };
    if (kind === 'people') {
      await repo.putAreaDeprivation(w, [...deprivation].map(([lsoa, decile]) => [lsoa, String(decile)]));
      rowsLoaded = await repo.insertPeople(w, id, idColumn!, keyVersion);
    } else if (kind === 'unit-costs') rowsLoaded = await repo.insertUnitCosts(w, id);
    else if (isSettingCode(kind)) ({ rows: rowsLoaded, ...period } = await repo.insertEvents(w, id, idColumn!, kind, rowsOptedOut > 0));
    else throw refuse.invalid('kind', 'Unknown kind of extract.');
    if (file.summarise !== false) await repo.rebuildSummary(w);
    const result = { ...base, status: 'loaded' as const, rowsRead, rowsLoaded, rowsOptedOut, periodFrom: period.from, periodTo: period.to, problems: [] };
    await repo.recordLoad(w, result);
    return result;
  }, repo.dropStaging);
  await recordAudit(db, {
    actor: loader.actor,
    action: record.status === 'loaded' ? 'insight_loaded' : 'insight_load_refused',
    recordType: 'insight_load',
    recordId: id,
    ip: loader.ip,
    details: { kind, partner, partnerOrganisationId: from.id, agreementId: from.agreementId, fileName: file.fileName, by: loader.name, rowsRead: record.rowsRead, rowsLoaded: record.rowsLoaded, rowsOptedOut: record.rowsOptedOut, problems: record.problems.length },
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
