// Tells whether dist/ contains a compile of the current sources: `npm run build` stamps dist/.built
// with the compile's start time, and no file under src/ may be newer.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Returns the newest modification time under a folder, in ms. */
function newestIn(folder) {
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Returns true when dist/ was compiled from the sources as they are now. */
export function builtIsCurrent() {
  try {
    return fs.statSync(path.join(ROOT, 'dist', '.built')).mtimeMs >= newestIn(path.join(ROOT, 'src'));
  } catch {
    return false;
  }
}
