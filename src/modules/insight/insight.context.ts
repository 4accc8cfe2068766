import type { Actor } from '../../platform/actor.ts';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { areaDeprivation } from '../directory/index.ts';
import type { Loader } from './loads/loads.service.ts';
import { pseudonymKey } from './pseudonyms/pseudonym-key.ts';
import { InsightStore } from './store/insight-store.ts';
import { createTables } from './store/schema.repository.ts';

/** What the module's features share in one running app: its store, its key and its small-number rule. */
export type InsightModuleContext = {
  store(): Promise<InsightStore>;
  loader(actor: Actor | null, ip: string | null, name?: string): Loader;
  /** Where the pseudonymisation key is, and that it must be backed up; null before there is one. */
  keyNotice(): string | null;
  smallNumber: number;
  close(): Promise<void>;
};

export function insightContext(config: Config, db: Database): InsightModuleContext {
  let opened: Promise<InsightStore> | undefined;
  let keyFile: string | undefined;
  return {
    store() {
      opened ??= InsightStore.open(config.insight.store, config.insight).then(async (store) => {
        await createTables(store);
        return store;
      });
      return opened;
    },
    loader(actor, ip, name) {
      return {
        actor,
        ip,
        name: name ?? actor?.name ?? 'command line',
        key: () => {
          const key = pseudonymKey(config.insight.keyFile, config.dataDir);
          keyFile = key.file;
          return key;
        },
        areaDeprivation: () => areaDeprivation(db),
      };
    },
    keyNotice() {
      const file = keyFile ?? config.insight.keyFile;
      return file ? `NHS numbers are replaced by pseudonyms made with the key in ${file}. Back this file up and keep it apart from the data: without it, later loads cannot be linked to earlier ones.` : null;
    },
    smallNumber: config.insight.smallNumber,
    async close() {
      if (opened) (await opened).close();
    },
  };
}
