import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../../platform/db/database.ts';
import { refuse } from '../../../platform/refusal.ts';
import { listLoadRecords, loadExtract, onlyOrganisationOfKind, removeLoadsQuietly, summarise, type Loader, type LoadRecord } from '../loads/loads.service.ts';
import { peopleForInsightDemo } from '../../social-prescribing/index.ts';
import type { InsightModuleContext } from '../insight.context.ts';
import type { InsightStore } from '../store/insight-store.ts';
import { demoFileCount, generateDemoFiles, type DemoSize } from './insight-demo.repository.ts';

/**
 * Generates a synthetic Wyndale population and activity and loads it as the partners would: files
 * written, then each checked and loaded. `extraPeople` are the demo's social prescribing people,
 * so that a test of change can find them. Every file comes from `partnerOrganisationId` (by
 * default the directory's council: in the demo, Wyndale Borough Council hosts the partners'
 * pooled extract and sends it under the agreement "Whole-system insight for Wyndale"), and each
 * load is checked against the agreements like any other.
 */
export async function loadDemoInsight(store: InsightStore, db: Database, loader: Loader, size: DemoSize, extraPeople: { nhsNumber: string; yearOfBirth: number }[] = [], stopped: () => boolean = () => false, partnerOrganisationId?: string): Promise<LoadRecord[]> {
  const partner = partnerOrganisationId ?? (await onlyOrganisationOfKind(db, 'council'))?.id;
  if (!partner) throw refuse.conflict('partnerOrganisationId', 'The demo extracts come from the council, and the directory holds no single council organisation: give the partner organisation.');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'insight-demo-'));
  try {
    const files = await generateDemoFiles(store, size, dir, extraPeople);
    const loads: LoadRecord[] = [];
    for (const [kind, file] of Object.entries(files)) {
      // The server is stopping: leave the rest (the next start finds the demo unfinished and loads it again).
      if (stopped()) return loads;
      const load = await loadExtract(store, db, loader, { path: file, fileName: path.basename(file), format: 'csv', kind, partnerOrganisationId: partner, summarise: false });
      if (load.status !== 'loaded') throw new Error(`The demo ${kind} extract was refused: ${load.problems.map((p) => p.problem).join('; ')}`);
      loads.push(load);
    }
    await summarise(store);
    return loads;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const DEMO_LOADER = 'demo partnership';

/**
 * The demo's small population, once: never again after anyone else has loaded (or removed) anything.
 * A demo cut short by the server stopping is removed and loaded again whole.
 */
export async function loadDemoOnFirstStart(insight: InsightModuleContext, db: Database, stopped: () => boolean): Promise<void> {
  const store = await insight.store();
  const loads = await listLoadRecords(store);
  if (loads.some((l) => l.loadedBy !== DEMO_LOADER)) return;
  const demoLoads = loads.filter((l) => l.status === 'loaded');
  if (demoLoads.length >= demoFileCount) return;
  await removeLoadsQuietly(store, demoLoads.map((l) => l.id));
  const people = await peopleForInsightDemo(db);
  await loadDemoInsight(store, db, insight.loader(null, null, DEMO_LOADER), { people: 4000, events: 40_000, seed: 2026, from: '2023-04-01', to: '2026-11-30' }, people, stopped);
}
