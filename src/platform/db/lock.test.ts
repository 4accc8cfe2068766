import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from './lock.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A process that has exited but is not reaped: its parent (sh, replaced by sleep) never waits for it. */
async function aZombie(): Promise<{ pid: number; stop: () => void }> {
  const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  for (let i = 0; i < 50 && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '); i++) await new Promise((r) => setTimeout(r, 20));
  return { pid, stop: () => parent.kill('SIGKILL') };
}

describe('the data folder lock', () => {
  it('refuses while the holder runs', () => {
    const dir = tempDir();
    const holder = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(path.join(dir, 'common-ground.lock'), String(holder.pid));
      expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over a lock whose holder is a zombie (killed, not yet reaped)', async () => {
    const dir = tempDir();
    const zombie = await aZombie();
    try {
      expect(fs.readFileSync(`/proc/${zombie.pid}/stat`, 'utf8')).toContain(') Z ');
      fs.writeFileSync(path.join(dir, 'common-ground.lock'), String(zombie.pid));
      const release = lockDataDir(dir);
      expect(fs.readFileSync(path.join(dir, 'common-ground.lock'), 'utf8')).toBe(String(process.pid));
      release();
    } finally {
      zombie.stop();
    }
  });
});
