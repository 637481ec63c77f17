import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Makes the parser fail unexpectedly on one file name, as a fault in the parser would.
vi.mock('../ingest/parse.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../ingest/parse.ts')>();
  return {
    ...original,
    parseDeclaration: (bytes: Uint8Array, fileName: string) =>
      fileName === 'fault.xlsx' ? Promise.reject(new RangeError('Invalid array length')) : original.parseDeclaration(bytes, fileName),
  };
});

const { parseFiles } = await import('./parse-command.ts');
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-parse-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('parseFiles', () => {
  it('reports a parser fault and parses the next file', async () => {
    const faulty = path.join(folder, 'fault.xlsx');
    fs.copyFileSync('fixtures/english.xlsx', faulty);
    const summaries = await parseFiles([faulty, 'fixtures/english.xlsx'], 10_000_000);

    expect(summaries[0]!.status).toBe('failed');
    expect(summaries[0]!.error!.code).toBe('parser-error');
    expect(summaries[0]!.error!.message).toContain('Invalid array length');
    expect(summaries[0]!.error!.message).toContain('report it to the Avvik team');
    expect(summaries[1]!.status).toBe('parsed');
  });
});
