import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config.ts';
import { InsightStore } from './insight-store.ts';

describe('the insight store keeps to its share of the machine', () => {
  it('opens with the memory limit and threads it is given', async () => {
    const store = await InsightStore.open(':memory:', { memoryLimit: '512MB', threads: 1 });
    try {
      // DuckDB reports the limit in binary units: 512 MB is 488.2 MiB.
      expect(await store.query("select current_setting('memory_limit') as memory, current_setting('threads')::int as threads")).toEqual([{ memory: '488.2 MiB', threads: 1 }]);
    } finally {
      store.close();
    }
  });

  it('takes its limits from the configuration, 1GB by default, and names a bad one', () => {
    expect(loadConfig({ LOG_LEVEL: 'silent' }).insight.memoryLimit).toBe('1GB');
    expect(loadConfig({ LOG_LEVEL: 'silent', INSIGHT_MEMORY_LIMIT: '2GB', INSIGHT_THREADS: '2' }).insight).toMatchObject({ memoryLimit: '2GB', threads: 2 });
    expect(() => loadConfig({ LOG_LEVEL: 'silent', INSIGHT_MEMORY_LIMIT: 'lots' })).toThrow(/INSIGHT_MEMORY_LIMIT must be a size like 1GB/);
  });
});
