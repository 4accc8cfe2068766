/* Latency figures shared by every part of the benchmark. */

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** Times fn once per input after a few warm-up calls; returns median, 95th percentile and the slowest. */
export async function timings<T>(inputs: T[], fn: (input: T) => Promise<unknown>, warmUp = 5): Promise<{ median: number; p95: number; max: number; n: number }> {
  for (const input of inputs.slice(0, warmUp)) await fn(input);
  const times: number[] = [];
  for (const input of inputs) {
    const t = performance.now();
    await fn(input);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1) ?? NaN, n: times.length };
}
