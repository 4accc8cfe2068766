import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Actor } from '../../../platform/actor.ts';
import { isUuid } from '../../../platform/ids.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canManageDirectory } from '../directory.policy.ts';
import { loadOrganisationRecords, loadServiceRecords, saveOrganisationRecords, saveServiceRecords } from '../directory.repository.ts';
import type { OrganisationRecord, ServiceRecord } from '../directory.types.ts';
import { flagPossibleDuplicatesOfEach } from '../duplicates.ts';
import { NEEDS_TAXONOMY_ID } from '../needs-taxonomy.ts';
import { COST_TAXONOMY_ID, DELIVERY_TAXONOMY_ID } from '../oruk/oruk-taxonomies.ts';
import { coordinatesOfPostcodes } from '../postcodes/postcodes.repository.ts';
import { storableText, type Candidate, type OrganisationInput, type RecordRef, type ServicePart } from './candidates.ts';
import { readCsv } from './csv-format.ts';
import { feedAddressProblem } from './feed-address.ts';
import { fileText } from './file-text.ts';
import { readOrukService, servicesInDocument, wrongKindOfFile } from './oruk-reader.ts';
import * as repo from './transfer.repository.ts';
import type { ImportFormat } from './transfer.schemas.ts';

/*
 * Importing directory records from files and Open Referral UK feeds. Every record is checked
 * first; good ones are saved a batch at a time, each batch in one transaction with its audit
 * entry. If a batch fails, its records are saved one by one so that one bad record is rejected
 * alone and never leaves another half-written. Saving by id makes a second run update, not
 * duplicate.
 */

type Rejection = { record: RecordRef; reasons: string[] };
export type ImportReport = { runId: string; total: number; created: number; updated: number; rejected: Rejection[]; problems: string[] };
export type ImportProgress = { runId: string; total: number; processed: number; created: number; updated: number; rejected: number };

export type ImportOptions = {
  format?: ImportFormat;
  startedBy?: Pick<Actor, 'userId' | 'name'> | null;
  onProgress?: (progress: ImportProgress) => void;
  /** A run already recorded by beginImport (the admin page starts it before the work). */
  runId?: string;
  /** How the run is described in the list of runs: a file name or a URL. */
  source?: string;
  batchSize?: number;
  /** For feeds: how long to wait for each response. */
  timeoutMs?: number;
  /** Said about the file before its records (how it was read). */
  notes?: string[];
};

/** A file or feed that cannot be read at all: nothing was imported. */
class ImportProblem extends Error {}

/** The directory's own taxonomies: an import links to their terms but never renames them. */
const OWN_TAXONOMY_IDS = [NEEDS_TAXONOMY_ID, DELIVERY_TAXONOMY_ID, COST_TAXONOMY_ID];

const DEFAULT_BATCH = 250;
/** The report keeps at most this many rejected records (the counts stay exact). */
const MAX_REPORTED = 2000;

/** Records a run as started, so a page can show its progress from the first moment. */
async function beginImport(db: Queryable, run: { source: string; format: string; startedBy?: Pick<Actor, 'userId'> | null }): Promise<string> {
  const id = crypto.randomUUID();
  await repo.insertImportRun(db, { id, source: storableText(run.source).text.slice(0, 500), format: run.format, startedBy: run.startedBy?.userId ?? null });
  return id;
}

class Run {
  readonly report: ImportReport;
  constructor(
    private readonly db: Database,
    readonly options: ImportOptions & { runId: string },
  ) {
    this.report = { runId: options.runId, total: 0, created: 0, updated: 0, rejected: [], problems: [...(options.notes ?? [])] };
  }
  rejectedCount = 0;
  processed = 0;

  /** What the records come from, in the report's words: a feed is not a file. */
  get sourceWord(): 'feed' | 'file' {
    return this.options.format === 'oruk-feed' ? 'feed' : 'file';
  }

  reject(record: RecordRef, reasons: string[]) {
    this.rejectedCount++;
    this.processed++;
    if (this.report.rejected.length < MAX_REPORTED) this.report.rejected.push({ record, reasons });
  }

  private warned = 0;

  /** Something about a record that was changed or doubted as it was imported. */
  warn(record: RecordRef, warning: string) {
    if (this.warned++ >= MAX_REPORTED) return;
    const name = [record.name && `"${record.name}"`, record.line && `line ${record.line}`, !record.name && record.id].filter(Boolean).join(', ');
    this.report.problems.push(`${name || 'A record'}: ${warning}.`);
  }

  progress(): ImportProgress {
    const r = this.report;
    return { runId: r.runId, total: r.total, processed: this.processed, created: r.created, updated: r.updated, rejected: this.rejectedCount };
  }

  async tell() {
    this.options.onProgress?.(this.progress());
    await repo.updateImportRun(this.db, this.report.runId, this.progress());
  }

  async finish(status: 'finished' | 'failed') {
    if (this.rejectedCount > this.report.rejected.length) {
      this.report.problems.push(`Only the first ${MAX_REPORTED} of ${this.rejectedCount} rejected records are listed.`);
    }
    const record = (status: 'finished' | 'failed', report: { rejected: Rejection[]; problems: string[] }) =>
      this.db.transaction(async (tx) => {
        await repo.updateImportRun(tx, this.report.runId, { ...this.progress(), status, report });
        await recordAudit(tx, {
          actor: this.options.startedBy ?? null,
          action: 'imported',
          recordType: 'import_run',
          recordId: this.report.runId,
          details: { source: this.options.source && storableText(this.options.source).text, format: this.options.format, status, ...this.progress() },
        });
      });
    try {
      await record(status, { rejected: this.report.rejected, problems: this.report.problems });
    } catch (error) {
      // A run never stays "running": if its report cannot be stored, it ends as failed, saying why.
      this.report.problems.push(`The import's report could not be stored: ${reasonFromError(error)}`);
      await record('failed', { rejected: [], problems: this.report.problems.map((p) => storableText(p).text) });
    }
    this.options.onProgress?.(this.progress());
  }
}

/** Fills in what a file left unsaid about an organisation from what we hold, and says whether anything changed. */
function mergeOrganisation(input: OrganisationInput, existing: OrganisationRecord | undefined): { record: OrganisationRecord; changed: boolean } {
  // A spreadsheet's blank cell keeps what we hold; an ORUK record says all there is.
  const keep = <T>(value: T | null | undefined, old: T | null | undefined): T | null => value ?? (input.keepBlank ? (old ?? null) : null);
  const record: OrganisationRecord = {
    id: input.id,
    name: input.name,
    description: input.description || (input.keepBlank ? existing?.description : '') || '',
    kind: input.kind ?? existing?.kind ?? 'other',
    email: keep(input.email, existing?.email),
    website: keep(input.website, existing?.website),
    logo: keep(input.logo, existing?.logo),
    uri: keep(input.uri, existing?.uri),
    parentOrganisationId: keep(input.parentOrganisationId, existing?.parentOrganisationId),
    postcode: input.postcode ?? existing?.postcode ?? null,
    identifiers: input.identifiers.length || !(input.keepBlank || input.keepIdentifiers) ? input.identifiers : (existing?.identifiers ?? []),
    lastReviewedAt: input.lastReviewedAt ?? existing?.lastReviewedAt ?? null,
  };
  if (!existing) return { record, changed: true };
  const key = (o: OrganisationRecord) =>
    JSON.stringify([
      o.name,
      o.description,
      o.kind,
      o.email ?? null,
      o.website ?? null,
      o.logo ?? null,
      o.uri ?? null,
      o.parentOrganisationId ?? null,
      o.postcode ?? null,
      o.identifiers.map((i) => `${i.scheme}|${i.type}|${i.identifier}`).sort(),
    ]);
  return { record, changed: key(record) !== key(existing) };
}

type Prepared = { candidate: Candidate & { service: ServiceRecord }; organisation?: OrganisationRecord; organisationChanged: boolean };

/**
 * Works out, for a batch, which organisations are new or changed and which records cannot be
 * saved because their organisation is nowhere to be found. Reads only.
 */
async function prepareBatch(db: Queryable, candidates: (Candidate & { service: ServiceRecord })[], run: Run): Promise<Prepared[]> {
  // Rows without an organisation id join an organisation we already hold with that identifier or name.
  const unnamed = candidates.filter((c) => c.organisation?.idFromName);
  const matches = await repo.matchOrganisations(
    db,
    [...new Map(unnamed.map((c) => [c.organisation!.id, c.organisation!])).values()].map((o) => ({ key: o.id, name: o.name, identifiers: o.identifiers })),
  );
  for (const c of unnamed) {
    const match = matches.get(c.organisation!.id);
    if (match) {
      c.organisation = { ...c.organisation!, id: match, identifiers: c.organisation!.identifiers.map((i) => ({ ...i, id: crypto.randomUUID() })) };
      c.service.organisationId = match;
    }
  }

  const given = new Map<string, OrganisationInput>();
  for (const c of candidates) if (c.organisation) given.set(c.organisation.id, c.organisation);
  const organisationIds = [...new Set(candidates.map((c) => c.service.organisationId))];
  const existing = new Map((await loadOrganisationRecords(db, organisationIds)).map((o) => [o.id, o]));
  const merged = new Map<string, { record: OrganisationRecord; changed: boolean }>();
  for (const [id, input] of given) {
    // A parent we do not hold yet is kept, and linked when it arrives (saveOrganisationRecords).
    const withParent = { ...input, parentOrganisationId: input.parentOrganisationId !== id ? input.parentOrganisationId : null };
    merged.set(id, mergeOrganisation(withParent, existing.get(id)));
  }

  const prepared: Prepared[] = [];
  for (const c of candidates) {
    const organisationId = c.service.organisationId;
    if (!merged.has(organisationId) && !existing.has(organisationId)) {
      run.reject(c.ref, [`organization_id: organisation ${organisationId} is not in the directory, and the record does not describe it`]);
      continue;
    }
    const m = merged.get(organisationId);
    prepared.push({ candidate: c, organisation: m?.record, organisationChanged: !!m?.changed });
  }
  return prepared;
}

/** Parts a record leaves out (an ORUK summary has no places or times) keep what we hold of them. */
async function keepWhatRecordsLeaveOut(tx: Queryable, prepared: Prepared[]): Promise<void> {
  const partial = prepared.map((p) => p.candidate).filter((c) => c.keep?.length);
  if (!partial.length) return;
  const held = new Map((await loadServiceRecords(tx, partial.map((c) => c.service.id))).map((s) => [s.id, s]));
  for (const c of partial) {
    const old = held.get(c.service.id);
    if (!old) continue;
    const service = c.service as Record<ServicePart, unknown>;
    for (const part of c.keep!) service[part] = old[part];
  }
}

/** A place with a postcode we hold but no coordinates is put on the map at the postcode, so distance search finds it. */
async function placeByPostcode(tx: Queryable, services: ServiceRecord[]): Promise<void> {
  const waiting = services.flatMap((s) => s.locations).filter((l) => l.postalCode && l.latitude == null && l.longitude == null && l.locationType !== 'virtual');
  if (!waiting.length) return;
  const found = await coordinatesOfPostcodes(tx, waiting.map((l) => l.postalCode!));
  for (const l of waiting) Object.assign(l, found.get(l.postalCode!) ?? {});
}

/** Saves prepared records in one transaction, with an audit entry naming every record it changed. */
async function saveBatch(db: Database, prepared: Prepared[], run: Run): Promise<{ created: number; updated: number }> {
  return db.transaction(async (tx) => {
    const services = prepared.map((p) => p.candidate.service);
    const before = await repo.existingServiceIds(tx, services.map((s) => s.id));
    const organisations = [...new Map(prepared.filter((p) => p.organisation && p.organisationChanged).map((p) => [p.organisation!.id, p.organisation!])).values()];
    const organisationsBefore = await repo.existingOrganisationIds(tx, organisations.map((o) => o.id));
    // Parents first, so that a child's reference finds them.
    organisations.sort((a, b) => Number(!!a.parentOrganisationId) - Number(!!b.parentOrganisationId));
    await saveOrganisationRecords(tx, organisations);
    await flagPossibleDuplicatesOfEach(tx, organisations);

    const terms = [...new Map(prepared.flatMap((p) => p.candidate.terms ?? []).map((t) => [t.id, t])).values()];
    await repo.saveImportedTerms(tx, terms, OWN_TAXONOMY_IDS);
    const known = await repo.existingTermIds(tx, [...new Set(services.flatMap((s) => s.taxonomyTermIds))]);
    // A term we do not have and the record did not describe cannot be linked: leave it off.
    for (const s of services) s.taxonomyTermIds = s.taxonomyTermIds.filter((id) => known.has(id));

    await keepWhatRecordsLeaveOut(tx, prepared);
    await placeByPostcode(tx, services);
    await saveServiceRecords(tx, services);
    const created = services.filter((s) => !before.has(s.id)).map((s) => s.id);
    const updated = services.filter((s) => before.has(s.id)).map((s) => s.id);
    await recordAudit(tx, {
      actor: run.options.startedBy ?? null,
      action: 'imported',
      recordType: 'service',
      details: {
        importRunId: run.report.runId,
        servicesCreated: created,
        servicesUpdated: updated,
        organisationsCreated: organisations.filter((o) => !organisationsBefore.has(o.id)).map((o) => o.id),
        organisationsUpdated: organisations.filter((o) => organisationsBefore.has(o.id)).map((o) => o.id),
      },
    });
    return { created: created.length, updated: updated.length };
  });
}

const reasonFromError = (error: unknown) =>
  `could not be saved: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 300)}`;

/**
 * Saves records that are organisations alone (our export's lines for organisations without
 * services), in one transaction with an audit entry; filled in from what we hold as services' are.
 */
async function saveOrganisationBatch(db: Database, candidates: Candidate[], run: Run): Promise<void> {
  const inputs = [...new Map(candidates.map((c) => [c.organisation!.id, c.organisation!])).values()];
  const counts = await db.transaction(async (tx) => {
    const existing = new Map((await loadOrganisationRecords(tx, inputs.map((o) => o.id))).map((o) => [o.id, o]));
    const merged = inputs.map((input) =>
      mergeOrganisation({ ...input, parentOrganisationId: input.parentOrganisationId !== input.id ? input.parentOrganisationId : null }, existing.get(input.id)),
    );
    const changed = merged.filter((m) => m.changed).map((m) => m.record);
    await saveOrganisationRecords(tx, changed);
    await flagPossibleDuplicatesOfEach(tx, changed);
    const created = changed.filter((o) => !existing.has(o.id)).map((o) => o.id);
    const updated = changed.filter((o) => existing.has(o.id)).map((o) => o.id);
    await recordAudit(tx, {
      actor: run.options.startedBy ?? null,
      action: 'imported',
      recordType: 'organisation',
      details: { importRunId: run.report.runId, organisationsCreated: created, organisationsUpdated: updated },
    });
    return { created: created.length, updated: inputs.length - created.length };
  });
  run.report.created += counts.created;
  run.report.updated += counts.updated;
  run.processed += candidates.length;
}

/** Checks and saves one batch of candidates (already-rejected ones are only counted). */
async function importBatch(db: Database, batch: Candidate[], run: Run): Promise<void> {
  const organisationsAlone = batch.filter((c) => !c.reasons.length && !c.service && c.organisation);
  if (organisationsAlone.length) {
    try {
      await saveOrganisationBatch(db, organisationsAlone, run);
    } catch (error) {
      for (const c of organisationsAlone) run.reject(c.ref, [reasonFromError(error)]);
    }
    batch = batch.filter((c) => !organisationsAlone.includes(c));
  }
  const good: (Candidate & { service: ServiceRecord })[] = [];
  const seen = new Map<string, number>();
  for (const c of batch) {
    if (c.reasons.length || !c.service) {
      run.reject(c.ref, c.reasons.length ? c.reasons : ['has nothing to import']);
      continue;
    }
    // The same service twice in one batch: the later one wins, as it would across batches.
    if (seen.has(c.service.id)) {
      const earlier = good[seen.get(c.service.id)!];
      run.reject(earlier.ref, [`appears again later in the ${run.sourceWord}; the later record was imported`]);
      good[seen.get(c.service.id)!] = c as Candidate & { service: ServiceRecord };
      continue;
    }
    seen.set(c.service.id, good.length);
    good.push(c as Candidate & { service: ServiceRecord });
  }
  for (const c of good) for (const warning of c.warnings ?? []) run.warn(c.ref, warning);
  if (!good.length) return;
  const prepared = await prepareBatch(db, good, run);
  if (!prepared.length) return;
  try {
    const counts = await saveBatch(db, prepared, run);
    run.report.created += counts.created;
    run.report.updated += counts.updated;
    run.processed += prepared.length;
  } catch {
    for (const p of prepared) {
      try {
        const counts = await saveBatch(db, [p], run);
        run.report.created += counts.created;
        run.report.updated += counts.updated;
        run.processed++;
      } catch (error) {
        run.reject(p.candidate.ref, [reasonFromError(error)]);
      }
    }
  }
}

async function startRun(db: Database, options: ImportOptions, format: string, source: string): Promise<Run> {
  const runId = options.runId ?? (await beginImport(db, { source, format, startedBy: options.startedBy }));
  return new Run(db, { ...options, runId, format: (options.format ?? format) as ImportFormat, source: options.source ?? source });
}

/** Imports candidates a batch at a time, telling the run's progress after each. */
async function importCandidates(db: Database, candidates: Candidate[], run: Run): Promise<void> {
  run.report.total = candidates.length;
  await run.tell();
  const size = run.options.batchSize ?? DEFAULT_BATCH;
  for (let i = 0; i < candidates.length; i += size) {
    await importBatch(db, candidates.slice(i, i + size), run);
    await run.tell();
  }
}

/** Imports Open Referral UK 3.0 service objects (as /services/{id} returns them). */
export async function importRecords(db: Database, records: unknown[], options: ImportOptions = {}): Promise<ImportReport> {
  const run = await startRun(db, options, options.format ?? 'oruk-json', options.source ?? 'records');
  return runToEnd(db, run, () => importCandidates(db, records.map((r) => readOrukService(r)), run));
}

/**
 * Embedded PGlite runs no autovacuum, and plans made with statistics from before a large import
 * were 3 to 10 times slower. So an import that changed more than autovacuum's own threshold
 * (50 rows and a tenth of the table) brings the statistics up to date itself.
 */
async function analyzeIfLarge(db: Database, run: Run, servicesBefore: number): Promise<void> {
  const changed = run.report.created + run.report.updated;
  if (changed > 50 + 0.1 * servicesBefore) await repo.analyzeDirectory(db);
}

async function runToEnd(db: Database, run: Run, work: () => Promise<void>): Promise<ImportReport> {
  const servicesBefore = await repo.estimatedServiceCount(db);
  let status: 'finished' | 'failed' = 'finished';
  try {
    await work();
  } catch (error) {
    run.report.problems.push(error instanceof ImportProblem ? error.message : `The import stopped: ${reasonFromError(error)}`);
    status = 'failed';
  }
  await analyzeIfLarge(db, run, servicesBefore);
  await run.finish(status);
  return run.report;
}

/** Works out a file's format from its name, then its first characters. */
function detectFormat(content: string, fileName?: string): Exclude<ImportFormat, 'oruk-feed'> {
  const ext = path.extname(fileName ?? '').toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  const start = content.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('[')) return 'oruk-json';
  if (start.startsWith('{')) {
    try {
      JSON.parse(start);
      return 'oruk-json';
    } catch {
      return 'ndjson';
    }
  }
  return ext === '.json' ? 'oruk-json' : 'csv';
}

/** Reads a whole file's content into candidates, or says why it cannot be read at all. */
function readContent(content: string, format: Exclude<ImportFormat, 'oruk-feed'>): Candidate[] {
  const text = content.replace(/^\uFEFF/, '');
  if (!text.trim()) throw new ImportProblem('The file is empty.');
  if (text.includes('\u0000')) throw new ImportProblem('The file contains NUL characters, so it is not a text file: save it as CSV, JSON or NDJSON text and upload that.');
  if (format === 'csv') {
    const { candidates, problem } = readCsv(text);
    if (problem) throw new ImportProblem(problem);
    return candidates;
  }
  if (format === 'ndjson') {
    const candidates: Candidate[] = [];
    text.split(/\r?\n/).forEach((line, index) => {
      if (!line.trim()) return;
      try {
        candidates.push(readOrukService(JSON.parse(line), index + 1));
      } catch {
        candidates.push({ ref: { line: index + 1 }, reasons: ['is not valid JSON'] });
      }
    });
    if (candidates.length && candidates.every((c) => c.reasons[0] === 'is not valid JSON')) throw new ImportProblem('The file is not NDJSON: no line is a JSON object.');
    return refuseWrongKind(candidates);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ImportProblem(`The file is not valid JSON: ${(error as Error).message}`);
  }
  const services = servicesInDocument(document);
  if (!services) throw new ImportProblem('The file is JSON but holds no services: give one service, a list of services, or an ORUK page with contents.');
  return refuseWrongKind(services.map((s) => readOrukService(s)));
}

/** A file whose every record is another kind (organisations, places) is refused whole, saying what it looks like. */
function refuseWrongKind(candidates: Candidate[]): Candidate[] {
  const problem = wrongKindOfFile(candidates);
  if (problem) throw new ImportProblem(problem);
  return candidates;
}

/** Imports a file's content (from an upload or a file on disk). */
export async function importFromText(db: Database, content: string, options: ImportOptions & { fileName?: string } = {}): Promise<ImportReport> {
  const format = (options.format && options.format !== 'oruk-feed' ? options.format : detectFormat(content, options.fileName)) as Exclude<ImportFormat, 'oruk-feed'>;
  const run = await startRun(db, { ...options, format }, format, options.source ?? options.fileName ?? 'uploaded file');
  return runToEnd(db, run, () => importCandidates(db, readContent(content, format), run));
}

export async function importFromFile(db: Database, filePath: string, options: ImportOptions = {}): Promise<ImportReport> {
  const { text, note } = fileText(await fs.readFile(filePath));
  return importFromText(db, text, { ...options, fileName: filePath, source: options.source ?? path.basename(filePath), notes: note ? [note] : options.notes });
}

/** Most redirects one request follows; each one's address is checked like the first. */
const MAX_REDIRECTS = 5;

async function fetchJson(url: string, timeoutMs: number): Promise<unknown> {
  let response: Response;
  let current = new URL(url);
  const signal = AbortSignal.timeout(timeoutMs);
  for (let hop = 0; ; hop++) {
    const problem = await feedAddressProblem(current);
    if (problem) throw new ImportProblem(hop ? `it redirects to ${current.href}, but ${problem}` : problem);
    try {
      response = await fetch(current, { headers: { accept: 'application/json' }, signal, redirect: 'manual' });
    } catch (error) {
      const name = (error as Error).name;
      throw new ImportProblem(name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${Math.round(timeoutMs / 1000)} seconds` : `could not connect (${(error as Error).message})`);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || !location) break;
    await response.body?.cancel().catch(() => {});
    if (hop >= MAX_REDIRECTS) throw new ImportProblem(`more than ${MAX_REDIRECTS} redirects`);
    if (!URL.canParse(location, current)) throw new ImportProblem(`it redirects to an address that cannot be read (${location.slice(0, 200)})`);
    current = new URL(location, current);
  }
  if (!response.ok) throw new ImportProblem(`the feed answered HTTP ${response.status}`);
  const body = await response.text().catch(() => '');
  try {
    return JSON.parse(body);
  } catch {
    throw new ImportProblem('the answer is not JSON');
  }
}

/**
 * Harvests an Open Referral UK 3.0 feed: pages through /services for the ids, then fetches each
 * /services/{id}. A service that cannot be fetched is reported, not fatal; a feed whose first
 * page cannot be read fails the run.
 */
export async function importFromUrl(db: Database, baseUrl: string, options: ImportOptions = {}): Promise<ImportReport> {
  const base = baseUrl.trim().replace(/\/+$/, '');
  const run = await startRun(db, options, 'oruk-feed', options.source ?? base);
  const timeoutMs = options.timeoutMs ?? 20_000;
  return runToEnd(db, run, async () => {
    if (!/^https?:\/\//i.test(base) || !URL.canParse(base)) throw new ImportProblem('The feed address must start with http:// or https://.');
    const ids: string[] = [];
    const perPage = 200;
    for (let page = 1; page <= 10_000; page++) {
      let body: { contents?: unknown; total_pages?: unknown; last_page?: unknown };
      try {
        body = (await fetchJson(`${base}/services?page=${page}&per_page=${perPage}`, timeoutMs)) as typeof body;
      } catch (error) {
        const message = `Could not read page ${page} of ${base}/services: ${(error as Error).message}.`;
        if (page === 1) throw new ImportProblem(message);
        run.report.problems.push(`${message} Services on later pages were not imported.`);
        break;
      }
      if (!body || !Array.isArray(body.contents)) {
        if (page === 1) throw new ImportProblem(`${base}/services is not an Open Referral UK list of services (it has no contents).`);
        break;
      }
      const before = ids.length;
      for (const s of body.contents as { id?: unknown }[]) if (typeof s?.id === 'string' && !ids.includes(s.id)) ids.push(s.id);
      const totalPages = typeof body.total_pages === 'number' ? body.total_pages : null;
      if (body.last_page === true || ids.length === before || (totalPages !== null && page >= totalPages)) break;
    }
    run.report.total = ids.length;
    await run.tell();

    const size = options.batchSize ?? DEFAULT_BATCH;
    for (let i = 0; i < ids.length; i += size) {
      const chunk = ids.slice(i, i + size);
      const candidates: Candidate[] = [];
      // A few requests at a time: quick, without hammering the other system.
      for (let j = 0; j < chunk.length; j += 8) {
        const fetched = await Promise.all(
          chunk.slice(j, j + 8).map(async (id) => {
            try {
              const answer = await fetchJson(`${base}/services/${encodeURIComponent(id)}`, timeoutMs);
              const mismatch = differentService(id, answer);
              return mismatch ? ({ ref: { id }, reasons: [mismatch] } satisfies Candidate) : readOrukService(answer);
            } catch (error) {
              return { ref: { id }, reasons: [`could not be fetched: ${(error as Error).message}`] } satisfies Candidate;
            }
          }),
        );
        candidates.push(...fetched);
      }
      await importBatch(db, candidates, run);
      await run.tell();
    }
  });
}

/**
 * Why a feed's answer for /services/{id} is not that service (it names another id), or null. Such
 * an answer is saved under neither id: under the asked one it would be the wrong service, and
 * under its own it may overwrite the right one with what the feed got wrong.
 */
function differentService(askedId: string, answer: unknown): string | null {
  const given = answer && typeof answer === 'object' ? (answer as { id?: unknown; name?: unknown }) : {};
  if (typeof given.id !== 'string' || given.id.trim().toLowerCase() === askedId.toLowerCase()) return null;
  const name = typeof given.name === 'string' ? ` ("${given.name.slice(0, 200)}")` : '';
  return `the feed answered /services/${askedId} with a different service, id ${given.id.slice(0, 100)}${name}, so nothing was saved for it: ask whoever publishes the feed to correct it`;
}

export type StartedImport = { runId: string; done: Promise<ImportReport> };

/** Only those who manage the directory import into it and see its imports. */
function mayImport(actor: Actor): void {
  if (!canManageDirectory(actor)) throw refuse.forbidden('Only partnership admins import and export the directory.');
}

/**
 * Checks that an uploaded file can be read (refused on the file field with what is wrong if
 * not), then imports it in the background. The run's page shows progress and, at the end, the report.
 */
export async function startFileImport(db: Database, actor: Actor, file: Uint8Array | string, options: { format?: Exclude<ImportFormat, 'oruk-feed'> | null }): Promise<StartedImport> {
  mayImport(actor);
  const { text: content, note } = typeof file === 'string' ? { text: file } : fileText(file);
  const format = options.format ?? detectFormat(content);
  let candidates: Candidate[];
  try {
    candidates = readContent(content, format);
  } catch (error) {
    if (error instanceof ImportProblem) throw refuse.invalid('file', error.message);
    throw error;
  }
  const run = await startRun(db, { format, startedBy: actor, notes: note ? [note] : [] }, format, `uploaded ${format === 'csv' ? 'CSV' : format === 'ndjson' ? 'NDJSON' : 'JSON'} file`);
  return { runId: run.report.runId, done: runToEnd(db, run, () => importCandidates(db, candidates, run)) };
}

/** Harvests a feed in the background (see importFromUrl). */
export async function startFeedImport(db: Database, actor: Actor, url: string): Promise<StartedImport> {
  mayImport(actor);
  const base = url.trim();
  // An address that may not be harvested is refused on the form, before any run starts.
  if (/^https?:\/\//i.test(base) && URL.canParse(base)) {
    const problem = await feedAddressProblem(new URL(base));
    if (problem) throw refuse.invalid('feedUrl', `This feed cannot be harvested: ${problem}.`);
  }
  const runId = await beginImport(db, { source: url, format: 'oruk-feed', startedBy: actor });
  return { runId, done: importFromUrl(db, url, { runId, startedBy: actor, source: url }) };
}

export type ImportRunView = repo.ImportRunRow & { rejections: Rejection[]; problems: string[] };

/** A running import that has not moved for this long has stopped (its process ended). */
const STALLED_AFTER_MS = 10 * 60 * 1000;

/** One import's progress and report; whether it stopped without finishing (its process ended). */
export async function viewImportRun(db: Queryable, actor: Actor, id: string, now = new Date()): Promise<{ run: ImportRunView; stalled: boolean }> {
  mayImport(actor);
  const row = isUuid(id) ? await repo.findImportRun(db, id) : null;
  if (!row) throw refuse.notFound('Import');
  const report = (row.report && typeof row.report === 'object' && !Array.isArray(row.report) ? row.report : {}) as { rejected?: Rejection[]; problems?: string[] };
  const run = { ...row, rejections: report.rejected ?? [], problems: report.problems ?? [] };
  return { run, stalled: run.status === 'running' && now.getTime() - new Date(run.updatedAt).getTime() > STALLED_AFTER_MS };
}

/** The latest imports, for the import page. */
export async function recentImports(db: Queryable, actor: Actor): Promise<repo.ImportRunRow[]> {
  mayImport(actor);
  return repo.recentImportRuns(db, 10);
}
