// Tells whether dist/ contains a compile of the current sources: `npm run build` stamps dist/.built
// with the compile's start time, and no compiled file under src/ may be newer. Tests and the web
// app's files in src/web/public are not compiled, so changing them needs no build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Returns true for a file that `npm run build` compiles: TypeScript other than tests. */
const isCompiled = (name) => name.endsWith('.ts') && !name.endsWith('.test.ts');

/** Returns the newest modification time of a compiled file under a folder, in ms. */
function newestIn(folder) {
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestIn(full));
    else if (isCompiled(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Returns true when dist/ was compiled from the sources as they are now, under the repository root by default. */
export function builtIsCurrent(root = ROOT) {
  try {
    return fs.statSync(path.join(root, 'dist', '.built')).mtimeMs >= newestIn(path.join(root, 'src'));
  } catch {
    return false;
  }
}
