import { cpus, loadavg, totalmem } from 'node:os';

/** Median and spread of repeated measurements (nearest-rank percentiles). */
export interface Summary {
  median: number;
  p10: number;
  p90: number;
  n: number;
}

/** The q-quantile (0…1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function summarize(values: readonly number[], digits = 2): Summary {
  return {
    median: round(median(values), digits),
    p10: round(quantile(values, 0.1), digits),
    p90: round(quantile(values, 0.9), digits),
    n: values.length,
  };
}

export function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

/** The machine a figure was measured on, with the load at that moment (the machine is shared). */
export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: loadavg().map((l) => round(l, 2)),
  };
}

/** Microseconds elapsed since `start` (a `process.hrtime.bigint()` reading). */
export function microsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1000;
}

/** True when the bench was started with `--quick` (CI smoke sizes). */
export const quick = process.argv.includes('--quick');

/** Prints a benchmark's figures as the one JSON document on stdout (what run.ts reads). */
export function emit(benchmark: string, figures: object): void {
  process.stdout.write(`${JSON.stringify({ benchmark, quick, machine: machine(), ...figures }, null, 2)}\n`);
}
