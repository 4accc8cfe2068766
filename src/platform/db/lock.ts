import fs from 'node:fs';
import path from 'node:path';

export class DataDirInUseError extends Error {}

/**
 * Whether a process still runs. A zombie (exited, not yet reaped by its parent: common in
 * containers whose first process reaps nothing) still answers kill(pid, 0), but holds nothing.
 */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // /proc/PID/stat: "pid (command) state …"; the command may hold spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false; // no /proc (not Linux): trust kill(pid, 0)
  }
}

/**
 * PGlite does not lock its data folder and two processes opening it corrupt it, so we hold a
 * lock file naming our process. A lock left by a process that no longer runs (kill -9) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'common-ground.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10);
      if (Number.isInteger(holder) && holder !== process.pid && processIsAlive(holder)) {
        throw new DataDirInUseError(
          `Another Common Ground (process ${holder}) is using the data folder ${dataDir}. ` +
            'Stop it first, or set DATA_DIR to another folder. Two processes on one embedded database would corrupt it.',
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale: its process has gone
    }
  }
  throw new DataDirInUseError(`Could not take the lock on ${dataDir}.`);
}
