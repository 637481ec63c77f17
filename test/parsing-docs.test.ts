// docs/parsing.md lists the error codes of a file that cannot be read: first the command line's
// own code for a file it cannot open, then those of src/errors.ts in their order. It describes
// the current parser version before the earlier ones.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_ERROR_CODES } from '../src/errors.ts';
import { PARSER_VERSION } from '../src/ingest/parse.ts';

const DOCS = fs.readFileSync(path.resolve(import.meta.dirname, '..', 'docs', 'parsing.md'), 'utf8');

describe('docs/parsing.md', () => {
  it('lists every file error code', () => {
    const errors = DOCS.slice(DOCS.indexOf('## Errors'), DOCS.indexOf('## Limits'));
    const rows = errors.split('\n').filter((line) => line.startsWith('| `'));
    const codes = rows.map((line) => /^\| `([a-z-]+)` \|/.exec(line)?.[1]);
    expect(codes).toEqual(['file-not-readable', ...FILE_ERROR_CODES]);
  });

  it('describes the current parser version first', () => {
    const firstVersion = /Version (\d+\.\d+\.\d+)/.exec(DOCS)?.[1];
    expect(firstVersion).toBe(PARSER_VERSION);
  });
});
