/** Summary statistics and timing helpers for the benchmark. */

import fs from 'node:fs';

/** Returns the q-quantile (0 to 1) of the values by the nearest-rank method. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

export interface Summary {
  median: number;
  p95: number;
  count: number;
}

export function summarize(values: readonly number[]): Summary {
  return { median: quantile(values, 0.5), p95: quantile(values, 0.95), count: values.length };
}

/** Milliseconds since an arbitrary start, with sub-millisecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Busy and total CPU time of all cores from /proc/stat, in clock ticks; null off Linux. */
export function readCpuTicks(): { busy: number; total: number } | null {
  let text: string;
  try {
    text = fs.readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const fields = text.split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  // The fourth and fifth fields are idle and iowait.
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Share of all cores' time spent busy between two readings, from 0 to 1. */
export function cpuBusyShare(before: ReturnType<typeof readCpuTicks>, after: ReturnType<typeof readCpuTicks>): number | null {
  if (!before || !after || after.total === before.total) return null;
  return (after.busy - before.busy) / (after.total - before.total);
}
