/* What the insight benchmark and its baseline child process share. */
import fs from 'node:fs';

/** Peak resident memory of this process (Node and native memory alike: DuckDB, PGlite), from /proc. */
export function peakMiB(): number {
  try {
    const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]);
    if (kb) return kb / 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Starts the peak over from the present resident memory (Linux: writing 5 to clear_refs); false where it cannot. */
export function resetPeak(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * One statement, written once, that both engines run: the share of people holding half the cost
 * (`table` has pseudonym and total_cost).
 */
export const forHalf = (table: string) => `select count(*) as people,
    min(case when cum >= total / 2 and total > 0 then rn end)::double precision / count(*) as share
  from (select row_number() over (order by total_cost desc, pseudonym) as rn,
          sum(total_cost) over (order by total_cost desc, pseudonym rows between unbounded preceding and current row) as cum,
          sum(total_cost) over () as total
        from ${table}) ranked`;
