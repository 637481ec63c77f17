import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigFileError } from './config-file.ts';
import { DEFAULT_PARTIES_PATH, loadParties, namesOfParty, parseParties, partyOfKind } from './parties.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'avvik-parties-'));

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

const operations = { code: 'DRIFT', kind: 'operations', name: 'Driftspart', aliases: [], baseServices: [] };
const administration = { code: 'SKR', kind: 'administration', name: 'SKR', aliases: [], baseServices: [] };
const provider = { code: 'CSN', kind: 'data-provider', name: 'CSN', aliases: [], baseServices: [] };

function parseError(data: unknown): ConfigFileError {
  try {
    parseParties(data, 'parties.json');
  } catch (error) {
    if (error instanceof ConfigFileError) {
      return error;
    }
    throw error;
  }

  throw new Error('Expected the parties data to be rejected, but it was accepted.');
}

describe('loadParties', () => {
  const parties = loadParties();

  it('resolves from the repository root', () => {
    expect(DEFAULT_PARTIES_PATH).toBe(join(REPOSITORY_ROOT, 'data', 'parties.json'));
    expect(existsSync(DEFAULT_PARTIES_PATH)).toBe(true);
  });

  it('reads the reference parties', () => {
    const codes = parties.map((party) => party.code);

    expect(codes).toEqual(['FK', 'CSN', 'SKV', 'AF', 'PM', 'AKASSA', 'TS', 'DRIFT', 'SKR']);
  });

  it('finds the operations party and the administration', () => {
    expect(partyOfKind(parties, 'operations').code).toBe('DRIFT');
    expect(partyOfKind(parties, 'administration').code).toBe('SKR');
  });

  it('includes base service names', () => {
    const fk = parties.find((party) => party.code === 'FK');

    expect(fk).toBeDefined();
    expect(namesOfParty(fk!)).toContain('bostadsbidrag');
    expect(namesOfParty(fk!)).toContain('Ersättningar från Försäkringskassan');
    expect(namesOfParty(fk!)).toContain('FK');
  });

  it('names the file when reading fails', () => {
    const file = join(directory, 'broken.json');
    writeFileSync(file, '{');

    expect(() => loadParties(file)).toThrow(`Parties file ${file} is not valid JSON`);
  });
});

describe('parseParties', () => {
  it('accepts omitted lists', () => {
    const parties = parseParties({ parties: [{ code: 'TS', kind: 'data-provider', name: 'Transportstyrelsen' }, operations, administration] }, 'x');

    expect(parties[0]).toEqual({ code: 'TS', kind: 'data-provider', name: 'Transportstyrelsen', aliases: [], baseServices: [] });
  });

  it('rejects duplicate codes', () => {
    const error = parseError({ parties: [provider, provider, operations, administration] });

    expect(error.message).toContain("field 'parties[1].code': duplicate party code 'CSN'");
  });

  it('requires one operations party', () => {
    const error = parseError({ parties: [provider, administration] });

    expect(error.issues).toEqual([{ ruleId: null, field: 'parties', message: "expected exactly one party of kind 'operations', found 0" }]);
  });

  it('rejects an unknown kind', () => {
    const error = parseError({ parties: [{ ...provider, kind: 'agency' }, operations, administration] });

    expect(error.issues[0]?.field).toBe('parties[0].kind');
  });
});
