// The avvik command as a user runs it: help, in-process ingest on the embedded database,
// JSON output, exit status, and logs free of contact details.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { environmentSchema } from '../src/config.ts';
import { buildDeclarationWorkbook } from './support/workbooks.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-cli-'));

function avvik(args: string[], extraEnvironment: Record<string, string> = {}) {
  const environment: NodeJS.ProcessEnv = { ...process.env, AVVIK_DATA_DIR: dataDir, ...extraEnvironment };
  delete environment.DATABASE_URL;
  delete environment.REDIS_URL;
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'avvik.js'), ...args], {
    cwd: ROOT,
    env: environment,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('avvik command', () => {
  it.each([[[]], [['ingest']], [['worker']], [['db', 'migrate']]])('help for %j shows an example', (command) => {
    const result = avvik([...command, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Examples?:/);
  });

  it('shows parse warnings and keeps the table one line per deviation', async () => {
    const file = path.join(dataDir, 'varningar.xlsx');
    const bytes = await buildDeclarationWorkbook({ requirements: 4, notMetEvery: 2, date: '9999-12-31', system: 'Varningssystemet' });
    fs.writeFileSync(file, bytes);
    const text = avvik(['ingest', file]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/ {2}warnings: 1\n {4}- The cover date .* was ignored/);
    expect(text.stdout.split('\n').filter((line) => /^ {2}K-\d/.test(line))).toHaveLength(2);

    const json = avvik(['ingest', '--json', file]);
    const [result] = JSON.parse(json.stdout) as { warnings: string[] }[];
    expect(result!.warnings).toHaveLength(1);

    // avvik parse shows the same cover facts and warnings without storing anything.
    const parsed = avvik(['parse', file]);
    expect(parsed.stdout).toContain('  Testleverantören AB · Varningssystemet 1.0 · Provstad kommun\n  contact details: given');
    expect(parsed.stdout).toMatch(/ {2}warnings: 1\n {4}- The cover date/);
  });

  it('names the file that same content was stored under', () => {
    const first = path.join(dataDir, 'tom fil.xlsx');
    const second = path.join(dataDir, 'tom.pdf');
    fs.writeFileSync(first, '');
    fs.writeFileSync(second, '');
    const result = avvik(['ingest', first, second]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`${second}: failed (declaration `);
    expect(result.stdout).toContain(", the same content as 'tom fil.xlsx' stored before)");
    const firstLine = result.stdout.split('\n').find((line) => line.startsWith(`${first}:`));
    expect(firstLine).toMatch(/^.*: failed \(declaration [0-9a-f-]+\)$/);
  });

  it.each([
    [
      ['reprocess', '--since', 'nodate'],
      "error: option '--since <date>' argument 'nodate' is invalid. It must be a date as YYYY-MM-DD or an ISO 8601 time such as 2026-01-01T08:00:00Z.",
      'Run `avvik reprocess --help` to list its options.',
    ],
    [
      ['export', '--format', 'docx', '--out', 'never-written.docx'],
      "error: option '--format <format>' argument 'docx' is invalid. Allowed choices are csv, xlsx.",
      'Run `avvik export --help` to list its options.',
    ],
    [['export', '--out', 'never-written.csv'], "error: required option '--format <format>' not specified", 'Run `avvik export --help` to list its options.'],
    [
      ['users', 'create', '--name', 'Test', '--role', 'admin'],
      "error: option '--role <role>' argument 'admin' is invalid. Allowed choices are supplier, municipality, data-provider, operations, administration.",
      'Run `avvik users create --help` to list its options.',
    ],
    [['ingest'], "error: missing required argument 'files'", 'Run `avvik ingest --help` to list its arguments and options.'],
    [['db', 'nope'], "error: unknown command 'nope'", 'Run `avvik db --help` to list its commands.'],
    [['users', 'remove'], "error: unknown command 'remove'\n(Did you mean revoke?)", 'Run `avvik users --help` to list its commands.'],
    [['exprot'], "error: unknown command 'exprot'\n(Did you mean export?)", 'Run `avvik --help` to list its commands.'],
    [
      ['reprocess'],
      'avvik: Give exactly one of --all, --since, --supplier, --system and --declaration (0 given).',
      'Run `avvik reprocess --help` to list its options.',
    ],
    [
      ['suppliers', 'add', '--name', ' '],
      'avvik: --name is empty; give the name as the declarations write it.',
      'Run `avvik suppliers add --help` to list its options.',
    ],
  ])('answers %j with the error and a help pointer', (args, error, pointer) => {
    const result = avvik(args);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${error}\n${pointer}\n`);
  });

  it('lists every setting in its help', () => {
    const result = avvik(['--help']);
    for (const name of Object.keys(environmentSchema.shape)) expect(result.stdout, name).toContain(name);
  });

  it('ingests in-process and prints JSON', () => {
    const files = ['fixtures/cover-sheet.xlsx', 'fixtures/not-a-workbook.xlsx'];
    const result = avvik(['ingest', '--json', ...files], { AVVIK_LOG_LEVEL: 'debug' });

    expect(result.status).toBe(1);
    const output = JSON.parse(result.stdout) as { file: string; status: string; cover: { contact: { email: string } } | null; deviations: unknown[] }[];
    expect(output.map((element) => element.file)).toEqual(files);
    expect(output[0]!.status).toBe('parsed');
    expect(output[0]!.deviations.length).toBeGreaterThan(0);
    expect(output[1]!.status).toBe('failed');

    const inProcessLines = result.stderr.split('\n').filter((line) => line.includes('processing in this process'));
    expect(inProcessLines).toHaveLength(1);

    const contact = output[0]!.cover!.contact as { name: string; phone: string; email: string };
    expect(contact.email).toContain('@');
    expect(result.stderr).not.toContain(contact.email);
    expect(result.stderr).not.toContain(contact.phone);
    expect(result.stderr).not.toContain(contact.name);
  });

  it('masks contact details in logged texts', async () => {
    const contacts = ['olle@kommun.example.se', '070-123 45 67', '850312-1231'];
    // A line break right before an address, which the log writes as the escape \n.
    const file = path.join(dataDir, `Deklaration ${contacts.join(' ')}\nnils@kommun.example.se.xlsx`);
    fs.writeFileSync(file, await buildDeclarationWorkbook({ requirements: 4, notMetEvery: 2, system: 'Loggsystemet' }));
    const result = avvik(['ingest', file, path.join(dataDir, 'saknas ulla@kommun.example.se.xlsx')], { AVVIK_LOG_LEVEL: 'debug' });

    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    for (const contact of [...contacts, 'nils@kommun.example.se', 'ulla@kommun.example.se']) expect(result.stderr, contact).not.toContain(contact);
    expect(result.stderr).toContain('[contact hidden]');
  });

  it('prints a large JSON result whole through a pipe', async () => {
    // 1,200 deviations make several hundred kB of JSON, more than a pipe takes at once.
    const file = path.join(dataDir, 'stor.xlsx');
    fs.writeFileSync(file, await buildDeclarationWorkbook({ requirements: 2_400, notMetEvery: 2, system: 'Rörsystem' }));
    const result = avvik(['ingest', '--json', file]);
    expect(result.status).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(256 * 1024);
    const output = JSON.parse(result.stdout) as { deviations: unknown[] }[];
    expect(output[0]!.deviations).toHaveLength(1_200);
  });

  it('ingests the same file again as the same declaration', () => {
    const first = JSON.parse(avvik(['ingest', '--json', 'fixtures/english.xlsx']).stdout) as { declarationId: string }[];
    const second = avvik(['ingest', '--json', 'fixtures/english.xlsx']);
    expect(second.status).toBe(0);
    expect((JSON.parse(second.stdout) as { declarationId: string }[])[0]!.declarationId).toBe(first[0]!.declarationId);
    expect(second.stderr).toContain('same file already stored');
  });

  it('reports a missing file', () => {
    const result = avvik(['ingest', '--json', 'fixtures/does-not-exist.xlsx']);
    expect(result.status).toBe(1);
    const [element] = JSON.parse(result.stdout) as { error: { code: string; message: string } }[];
    expect(element!.error.code).toBe('file-not-readable');
    expect(element!.error.message).toContain('does-not-exist.xlsx does not exist');
  });

  it('rejects an oversized file without reading it', () => {
    for (const command of ['ingest', 'parse']) {
      const result = avvik([command, '--json', 'fixtures/merged-areas.xlsx'], { AVVIK_MAX_FILE_BYTES: '1000' });
      expect(result.status, command).toBe(1);
      const [element] = JSON.parse(result.stdout) as { status: string; declarationId?: string | null; error: { code: string; message: string } }[];
      expect(element!.status, command).toBe('failed');
      expect(element!.error.code, command).toBe('file-too-large');
      expect(element!.error.message, command).toContain('merged-areas.xlsx');
      expect(element!.error.message, command).toContain('The file was not read.');
      expect(element!.declarationId ?? null, command).toBeNull();
    }

    // Nothing was stored, so the same file is read as new under the default limit.
    const again = avvik(['ingest', '--json', 'fixtures/merged-areas.xlsx']);
    expect(again.status).toBe(0);
    const [parsed] = JSON.parse(again.stdout) as { status: string; declarationId: string }[];
    expect(parsed!.status).toBe('parsed');
  });

  it('imports a folder beside an Excel lock file', async () => {
    const folder = path.join(dataDir, 'låsfil');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'deklaration.xlsx'), await buildDeclarationWorkbook({ requirements: 3, notMetEvery: 2, system: 'Låssystemet' }));
    // Excel writes this owner file beside a workbook while it is open.
    fs.writeFileSync(path.join(folder, '~$deklaration.xlsx'), Buffer.alloc(162, 0x20));

    for (const run of ['first', 'second']) {
      const json = avvik(['import', '--json', folder]);
      expect(json.status, run).toBe(0);
      const summary = JSON.parse(json.stdout) as { found: number; skipped: number; failed: number };
      expect(summary.found, run).toBe(1);
      expect(summary.skipped, run).toBe(1);
      expect(summary.failed, run).toBe(0);
    }
    const text = avvik(['import', folder]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('1 declaration file found, 1 lock or hidden file skipped, 0 other entries ignored');
  });

  it.each([
    [['import', ''], "command-argument value '' is invalid for argument 'folder'. It is empty, so give a path."],
    [['ingest', ''], "command-argument value '' is invalid for argument 'files'. It is empty, so give a path."],
    [['parse', 'fixtures/english.xlsx', ''], "command-argument value '' is invalid for argument 'files'. It is empty, so give a path."],
    [['export', '--format', 'csv', '--out', ''], "option '--out <file>' argument '' is invalid. It is empty, so give a path."],
  ])('rejects an empty path in %j', (args, message) => {
    const result = avvik(args);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/ENOENT|partial/);
  });

  it.each([
    ['a missing folder', 'no-such-folder', 'The folder "no-such-folder" does not exist. Give the folder that holds the declaration files.'],
    ['a file', 'fixtures/english.xlsx', 'fixtures/english.xlsx is not a folder. Import one file with `avvik ingest fixtures/english.xlsx`'],
  ])('rejects %s as the import folder', (_, folder, message) => {
    const result = avvik(['import', folder]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Run `avvik import --help`');
    expect(result.stderr).not.toMatch(/ENOENT|ENOTDIR|scandir/);
  });

  it.each([
    ['a link to a device', (file: string) => fs.symlinkSync('/dev/zero', file)],
    ['a named pipe', (file: string) => spawnSync('mkfifo', [file])],
  ])('rejects %s without reading it', (_, make) => {
    const file = path.join(dataDir, `special-${Date.now()}.xlsx`);
    make(file);
    for (const command of ['parse', 'ingest']) {
      const result = avvik([command, '--json', file]);
      expect(result.status, command).toBe(1);
      const [element] = JSON.parse(result.stdout) as { error: { code: string; message: string } }[];
      expect(element!.error.code, command).toBe('file-not-readable');
      expect(element!.error.message, command).toContain('is not a regular file but a device, pipe or socket');
    }
  });

  it('reports a folder given as a file', () => {
    const result = avvik(['parse', '--json', 'fixtures', 'fixtures/english.xlsx']);
    expect(result.status).toBe(1);
    const summaries = JSON.parse(result.stdout) as { status: string; error?: { message: string } }[];
    expect(summaries[0]!.error!.message).toContain('is a folder');
    expect(summaries[1]!.status).toBe('parsed');
  });

  it('stores a supplier before its first declaration', () => {
    const args = ['suppliers', 'add', '--json', '--name', 'Prov AB', '--org-number', '556999-0004', '--system', 'Provsystemet'];
    const first = JSON.parse(avvik(args).stdout) as { code: string; created: boolean; systems: { id: string }[] };
    const second = JSON.parse(avvik(args).stdout) as { code: string; created: boolean; systems: { id: string }[] };
    expect(first.code).toBe('ORG-5569990004');
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.systems[0]!.id).toBe(first.systems[0]!.id);

    const listed = JSON.parse(avvik(['suppliers', 'list', '--json']).stdout) as { code: string; organisationNumber: string; systems: { id: string }[] }[];
    const supplier = listed.find((entry) => entry.code === first.code);
    expect(supplier?.organisationNumber).toBe('556999-0004');
    expect(supplier?.systems).toEqual(first.systems);

    const user = avvik(['users', 'create', '--json', '--name', 'Prov', '--role', 'supplier', '--party', first.code]);
    expect(user.status).toBe(0);
    expect((JSON.parse(user.stdout) as { party: string }).party).toBe(first.code);
  });

  it.each([
    ['12', '10 digits as NNNNNN-NNNN'],
    ['abc-def', '10 digits as NNNNNN-NNNN'],
  ])('rejects the organisation number %j', (number, reason) => {
    const result = avvik(['suppliers', 'add', '--name', 'Felnummer AB', '--org-number', number]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`argument '${number}' is invalid`);
    expect(result.stderr).toContain(reason);
    expect(result.stdout).toBe('');
  });

  it('names the option for a wrong check digit', () => {
    const result = avvik(['suppliers', 'add', '--name', 'Felnummer AB', '--org-number', '5561234568']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("argument '556123-4568' is invalid");
    expect(result.stderr).toContain('Its check digit, the last one, is 8, but the first nine digits give 7.');
    expect(result.stderr).toContain('give --accept-check-digit to store it as written');
    expect(result.stdout).toBe('');
  });

  it('stores a wrong check digit on request', async () => {
    const args = ['suppliers', 'add', '--json', '--name', 'Skrivfel AB', '--org-number', '556123-4568', '--accept-check-digit', '--system', 'Skrivsystemet'];
    const added = avvik(args);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stderr).toContain(
      'Warning: organisation number 556123-4568 is used as written because of --accept-check-digit. Its check digit, the last one, is 8, but the first nine digits give 7.',
    );
    const supplier = JSON.parse(added.stdout) as { code: string; created: boolean; systems: { id: string }[] };
    expect(supplier.code).toBe('ORG-5561234568');
    expect(supplier.created).toBe(true);

    // A declaration whose cover carries the same number names the same supplier, without a warning.
    const file = path.join(dataDir, 'skrivfel.xlsx');
    fs.writeFileSync(file, await buildDeclarationWorkbook({ requirements: 2, notMetEvery: 2, supplier: 'Skrivfel AB', organisationNumber: '556123-4568', system: 'Skrivsystemet' }));
    const ingested = avvik(['ingest', '--json', file]);
    expect(ingested.status, ingested.stderr).toBe(0);
    const [declaration] = JSON.parse(ingested.stdout) as { status: string; warnings: string[] }[];
    expect(declaration!.status).toBe('parsed');
    expect(declaration!.warnings).toEqual([]);

    const listed = JSON.parse(avvik(['suppliers', 'list', '--json']).stdout) as { code: string; organisationNumber: string; declarations: number; systems: { id: string }[] }[];
    const stored = listed.find((entry) => entry.code === 'ORG-5561234568');
    expect(stored?.organisationNumber).toBe('556123-4568');
    expect(stored?.declarations).toBe(1);
    expect(stored?.systems).toEqual(supplier.systems);
  });

  it('warns only about a wrong check digit', () => {
    const result = avvik(['suppliers', 'add', '--name', 'Rättnummer AB', '--org-number', '556777-0010', '--accept-check-digit']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Supplier ORG-5567770010 added: Rättnummer AB');
    expect(result.stderr).not.toContain('check digit');
  });

  it('shows --accept-check-digit in the help', () => {
    const result = avvik(['suppliers', 'add', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--accept-check-digit');
    expect(result.stdout).toMatch(/\$ npx avvik suppliers add .*--accept-check-digit/);
  });

  it('rejects a supplier stored under another name', () => {
    const first = avvik(['suppliers', 'add', '--name', 'Fjällsystem AB', '--org-number', '5568881238']);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Supplier ORG-5568881238 added: Fjällsystem AB');

    const same = avvik(['suppliers', 'add', '--name', 'fjällsystem ab', '--org-number', '556888-1238']);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('Supplier ORG-5568881238 exists already and is unchanged: Fjällsystem AB');

    const other = avvik(['suppliers', 'add', '--name', 'Fjäll AB', '--org-number', '556888-1238', '--system', 'Fjällbistånd']);
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('Supplier ORG-5568881238 already exists as "Fjällsystem AB", not "Fjäll AB". Nothing was stored.');
    expect(other.stdout).toBe('');
  });

  it('lists every invalid variable', () => {
    const result = avvik(['ingest', 'fixtures/english.xlsx'], { AVVIK_WORKER_CONCURRENCY: '0', AVVIK_LOG_LEVEL: 'loud' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('AVVIK_WORKER_CONCURRENCY');
    expect(result.stderr).toContain('AVVIK_LOG_LEVEL');
  });
});
