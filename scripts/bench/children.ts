/** Child processes of the benchmark, tracked so that a failed or interrupted run stops them all. */

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';

export const REPOSITORY_ROOT = path.resolve(import.meta.dirname, '..', '..');

const running = new Set<ChildProcess>();

/** Starts a TypeScript file through tsx, or the avvik command as production runs it, in a new Node process. */
export function spawnNode(args: readonly string[], options: SpawnOptions): ChildProcess {
  // A TypeScript script needs tsx's loader. bin/avvik.js loads what it needs itself, as in production.
  const loader = args[0]?.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, ...args], { cwd: REPOSITORY_ROOT, ...options });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Waits for a child to exit and returns its exit code, or the signal that ended it. */
export function waitForExit(child: ChildProcess): Promise<number | NodeJS.Signals> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 0)));
}

/** Sends SIGKILL to every child still running. */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Runs a child to its end and returns the JSON object on the last line of its stdout. */
export async function runForJson<T>(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<T> {
  const child = spawnNode(args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await waitForExit(child);
  clearTimeout(timer);
  if (exit !== 0) {
    throw new Error(`Child ${args.join(' ')} ended with ${exit} (timeout ${timeoutMs} ms).\n${stderr.slice(-4000)}`);
  }
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(lastLine) as T;
  } catch {
    throw new Error(`Child ${args.join(' ')} printed no JSON result. Its output ends with:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`);
  }
}
