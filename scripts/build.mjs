// Compiles src/ to dist/ and stamps the build, so that bin/avvik.js can tell whether dist/ is
// current. A failed compile leaves no stamp, and bin/avvik.js then runs the sources.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!fs.existsSync(tsc)) {
  console.log('TypeScript is not installed, as after npm ci --omit=dev, so dist/ is not built and avvik runs its sources through tsx.');
  process.exit(0);
}
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.built');
fs.rmSync(dist, { recursive: true, force: true });
const started = new Date();
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
fs.writeFileSync(stamp, `${started.toISOString()}\n`);
// The stamp's time is the compile's start, so that a source saved during the compile counts as newer.
fs.utimesSync(stamp, started, started);
