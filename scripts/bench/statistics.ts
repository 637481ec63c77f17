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

/** CPU seconds used so far by each process on the machine, by process id, with its command name. */
export function readProcessCpu(): Map<number, { name: string; seconds: number }> | null {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  const usage = new Map<number, { name: string; seconds: number }>();
  for (const pid of pids) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // The process ended between the listing and the read.
    }
    // The command name is in parentheses and may contain spaces; utime and stime follow as fields 14 and 15.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    usage.set(Number(pid), { name, seconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND });
  }
  return usage;
}

/** The kernel's USER_HZ, which is 100 on Linux for every architecture Node.js runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU milliseconds per declaration between two readings, for the worker processes given and for
 * PostgreSQL and Redis by command name, and for everything else on the machine.
 */
export function cpuPerDeclaration(
  before: ReturnType<typeof readProcessCpu>,
  after: ReturnType<typeof readProcessCpu>,
  workerPids: readonly number[],
  declarations: number,
): Record<'workers' | 'postgres' | 'redis' | 'other', number> | null {
  if (!before || !after) return null;
  const totals = { workers: 0, postgres: 0, redis: 0, other: 0 };
  for (const [pid, { name, seconds }] of after) {
    const used = seconds - (before.get(pid)?.seconds ?? 0);
    if (used <= 0) continue;
    if (workerPids.includes(pid)) totals.workers += used;
    else if (name.startsWith('postgres')) totals.postgres += used;
    else if (name.startsWith('redis')) totals.redis += used;
    else totals.other += used;
  }
  const perDeclaration = (seconds: number) => Math.round((seconds * 1000 * 10) / declarations) / 10;
  return { workers: perDeclaration(totals.workers), postgres: perDeclaration(totals.postgres), redis: perDeclaration(totals.redis), other: perDeclaration(totals.other) };
}
