#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build`, which `npm ci` runs), or the TypeScript
// sources through tsx when dist/ is missing or older than any source file. tsx adds about 38 MB
// to every process, which matters most for workers.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const stamp = path.join(root, 'dist', '.built');

/** Returns the newest modification time under a folder, in ms. */
function newestIn(folder) {
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function builtIsCurrent() {
  if (process.env.AVVIK_FROM_SOURCE === '1') return false;
  try {
    return fs.statSync(stamp).mtimeMs >= newestIn(path.join(root, 'src'));
  } catch {
    return false;
  }
}

if (builtIsCurrent()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
