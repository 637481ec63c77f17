// bin/avvik.js runs the compiled dist/ only while it is current, and the sources otherwise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtIsCurrent } from '../bin/built.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-built-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes a file with the given modification time, in seconds since the epoch. */
function write(relative: string, seconds: number) {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '');
  fs.utimesSync(file, seconds, seconds);
}

describe('builtIsCurrent', () => {
  it('is false without a build', () => {
    write('src/cli/main.ts', 1_000);
    expect(builtIsCurrent(root)).toBe(false);
  });

  it('is true after a build', () => {
    write('dist/.built', 2_000);
    expect(builtIsCurrent(root)).toBe(true);
  });

  it('ignores tests and the web app', () => {
    write('src/config.test.ts', 3_000);
    write('src/web/public/index.html', 3_000);
    expect(builtIsCurrent(root)).toBe(true);
  });

  it('is false after a source changes', () => {
    write('src/db/client.ts', 3_000);
    expect(builtIsCurrent(root)).toBe(false);
  });
});
