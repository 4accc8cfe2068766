import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../../platform/db/database.ts';
import { listLoadRecords, loadExtract, removeLoadsQuietly, summarise, type Loader, type LoadRecord } from '../loads/loads.service.ts';
import { peopleForInsightDemo } from '../../social-prescribing/index.ts';
import type { InsightModuleContext } from '../insight.context.ts';
import type { InsightStore } from '../store/insight-store.ts';
import { demoFileCount, generateDemoFiles, type DemoSize } from './insight-demo.repository.ts';

export const demoPartners: Record<string, string> = {
  people: 'Wyndale GP practices (person register)',
  'unit-costs': 'Wyndale partnership finance',
  'care-home': 'Wyndale Council adult social care',
  'home-care': 'Wyndale Council adult social care',
  reablement: 'Wyndale Council adult social care',
  telecare: 'Wyndale Council adult social care',
  'day-care': 'Wyndale Council adult social care',
  'community-nursing': 'Wyndale Community Health NHS Trust',
  'mental-health': 'Wyndale and Cragmoor Mental Health NHS Trust',
  'gp-ooh': 'Wyndale Urgent Care',
  prescribing: 'Wyndale GP practices (prescribing)',
};

/**
 * Generates a synthetic Wyndale population and activity and loads it as the partners would: files
 * written, then each checked and loaded. `extraPeople` are the demo's social prescribing people,
 * so that a test of change can find them.
 */
export async function loadDemoInsight(store: InsightStore, db: Database, loader: Loader, size: DemoSize, extraPeople: { nhsNumber: string; yearOfBirth: number }[] = [], stopped: () => boolean = () => false): Promise<LoadRecord[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'insight-demo-'));
  try {
    const files = await generateDemoFiles(store, size, dir, extraPeople);
    const loads: LoadRecord[] = [];
    for (const [kind, file] of Object.entries(files)) {
      // The server is stopping: leave the rest (the next start finds the demo unfinished and loads it again).
      if (stopped()) return loads;
      const load = await loadExtract(store, db, loader, { path: file, fileName: path.basename(file), format: 'csv', kind, partner: demoPartners[kind] ?? 'Wyndale General Hospitals NHS Trust', summarise: false });
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
