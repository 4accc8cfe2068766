// The few parts of autocannon 9 the benchmarks use (the package ships no types).
declare module 'autocannon' {
  type Stats = { average: number; mean: number; stddev: number; min: number; max: number; total: number; p50: number; p90: number; p97_5: number; p99: number };
  export type Result = {
    requests: Stats;
    latency: Stats;
    throughput: Stats;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    duration: number;
  };
  export type Options = { url: string; connections?: number; duration?: number; headers?: Record<string, string>; requests?: { setupRequest?: (request: { path: string }) => { path: string } }[] };
  export default function autocannon(options: Options): Promise<Result>;
}
