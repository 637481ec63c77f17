// Follow-up on a database: the overdue report from the command line with --today, the digests per
// party, and GET /api/followup per role. The deviations and their history are written directly,
// with the times of their status and owner changes chosen around Christmas and New Year.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '../src/generated/prisma/client.ts';
import { createUser, request, useTestApi, type TestUser } from './support/api.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SUPPLIER_A = 'ORG-5560000101';
const SUPPLIER_B = 'ORG-5560000102';
/** Friday 8 January 2027; the shipped limits are new 5, in-dialogue 20 (supplier) and 10 (operations), fixed 10. */
const TODAY = '2027-01-08';

const api = useTestApi({ queue: false, now: () => new Date('2027-01-08T10:00:00Z') });
const digestDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-digest-'));
afterAll(() => fs.rmSync(digestDir, { recursive: true, force: true }));

type Name = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L';
const ids = {} as Record<Name, string>;
const users = {} as Record<'admin' | 'supplierA' | 'supplierB' | 'fk' | 'csn' | 'drift' | 'municipality', TestUser>;

interface Seed {
  status: NonNullable<Prisma.DeviationCreateInput['status']>;
  supplier: 'A' | 'B';
  municipality: string;
  created: string;
  statusAt?: string;
  owner?: { area: 'business_system' | 'base_service' | 'ssbtek'; code: string; at: string };
  dueDate?: string;
}

/** The deviations, and why each is or is not overdue on 8 January 2027. */
const SEEDS: Record<Name, Seed> = {
  // New since Tuesday 22 December: 8 working days, 3 over the limit of 5.
  A: { status: 'new', supplier: 'A', municipality: 'Norrby kommun', created: '2026-12-22T10:00:00Z' },
  // New since 30 December: 4 working days, because 31 December, 1 and 6 January are days off.
  B: { status: 'new', supplier: 'A', municipality: 'Norrby kommun', created: '2026-12-30T10:00:00Z' },
  // In dialogue with supplier A since 2 December: 22 working days, 2 over.
  C: {
    status: 'in_dialogue', supplier: 'A', municipality: 'Norrby kommun', created: '2026-11-20T10:00:00Z', statusAt: '2026-12-02T10:00:00Z',
    owner: { area: 'business_system', code: SUPPLIER_A, at: '2026-12-01T10:00:00Z' },
  },
  // In dialogue since 2 December, but FK became the owner on 16 December: 12 working days.
  D: {
    status: 'in_dialogue', supplier: 'A', municipality: 'Norrby kommun', created: '2026-11-20T10:00:00Z', statusAt: '2026-12-02T10:00:00Z',
    owner: { area: 'base_service', code: 'FK', at: '2026-12-16T10:00:00Z' },
  },
  // In dialogue with the operations party since 16 December: 12 working days, 2 over its 10.
  E: {
    status: 'in_dialogue', supplier: 'A', municipality: 'Västby kommun', created: '2026-11-20T10:00:00Z', statusAt: '2026-12-16T10:00:00Z',
    owner: { area: 'ssbtek', code: 'DRIFT', at: '2026-12-01T10:00:00Z' },
  },
  // Postponed for months: paused.
  F: { status: 'postponed', supplier: 'A', municipality: 'Norrby kommun', created: '2026-09-01T10:00:00Z', statusAt: '2026-10-01T10:00:00Z' },
  // CSN promised a fix by 5 January: 7 and 8 January are 2 working days over.
  G: {
    status: 'will_fix', supplier: 'B', municipality: 'Söderby kommun', created: '2026-10-01T10:00:00Z', statusAt: '2026-11-02T10:00:00Z',
    owner: { area: 'base_service', code: 'CSN', at: '2026-10-02T10:00:00Z' }, dueDate: '2027-01-05',
  },
  // Due today: not yet overdue.
  H: {
    status: 'will_fix', supplier: 'B', municipality: 'Söderby kommun', created: '2026-10-01T10:00:00Z', statusAt: '2026-11-02T10:00:00Z',
    owner: { area: 'business_system', code: SUPPLIER_B, at: '2026-10-02T10:00:00Z' }, dueDate: '2027-01-08',
  },
  // Supplier B promised a fix by 23 December: 7 working days over.
  I: {
    status: 'will_fix', supplier: 'B', municipality: 'Söderby kommun', created: '2026-10-01T10:00:00Z', statusAt: '2026-11-02T10:00:00Z',
    owner: { area: 'business_system', code: SUPPLIER_B, at: '2026-10-02T10:00:00Z' }, dueDate: '2026-12-23',
  },
  // Fixed on 15 December and not closed: 13 working days, 3 over the limit of 10; the kept due date does not count.
  J: {
    status: 'fixed', supplier: 'B', municipality: 'Söderby kommun', created: '2026-10-01T10:00:00Z', statusAt: '2026-12-15T10:00:00Z',
    owner: { area: 'business_system', code: SUPPLIER_B, at: '2026-10-02T10:00:00Z' }, dueDate: '2026-12-10',
  },
  // Closed: never followed up.
  K: { status: 'closed', supplier: 'B', municipality: 'Söderby kommun', created: '2026-01-01T10:00:00Z', statusAt: '2026-02-01T10:00:00Z' },
  // In dialogue without an owner since 22 December: the administration's limit of 5, 3 over.
  L: { status: 'in_dialogue', supplier: 'A', municipality: 'Norrby kommun', created: '2026-12-01T10:00:00Z', statusAt: '2026-12-22T10:00:00Z' },
};

const contactOf = (name: Name) => ({ name: `Kontakt ${name}`, phone: `070-000 00 ${name.charCodeAt(0)}`, email: `kontakt.${name.toLowerCase()}@example.se` });

beforeAll(async () => {
  const { prisma } = api();
  const supplierA = await prisma.party.create({ data: { code: SUPPLIER_A, kind: 'supplier', name: 'Alfa Uppföljning AB', organisationNumber: '556000-0101' } });
  const supplierB = await prisma.party.create({ data: { code: SUPPLIER_B, kind: 'supplier', name: 'Beta Uppföljning AB', organisationNumber: '556000-0102' } });
  const systems = {
    A: await prisma.businessSystem.create({ data: { name: 'Alfa Ekonomi', supplierId: supplierA.id } }),
    B: await prisma.businessSystem.create({ data: { name: 'Beta Stöd', supplierId: supplierB.id } }),
  };

  for (const [name, seed] of Object.entries(SEEDS) as [Name, Seed][]) {
    const contact = contactOf(name);
    const deviation = await prisma.deviation.create({
      data: {
        // A's title names a phone number, which only callers with contact rights may read.
        title: name === 'A' ? 'Avvikelse A, ring 070-111 22 33' : `Avvikelse ${name}`,
        status: seed.status,
        businessSystemId: systems[seed.supplier].id,
        supplierCode: seed.supplier === 'A' ? SUPPLIER_A : SUPPLIER_B,
        municipality: seed.municipality,
        contactName: contact.name,
        contactPhone: contact.phone,
        contactEmail: contact.email,
        proposedArea: 'unassigned',
        proposedPartyKind: 'administration',
        proposalEvidence: [],
        proposalCandidates: [],
        proposalConfidence: 0,
        ruleSetVersion: 'test',
        ownerArea: seed.owner?.area ?? null,
        ownerPartyCode: seed.owner?.code ?? null,
        ownerSetAt: seed.owner ? new Date(seed.owner.at) : null,
        dueDate: seed.dueDate ? new Date(`${seed.dueDate}T00:00:00Z`) : null,
        createdAt: new Date(seed.created),
      },
    });
    ids[name] = deviation.id;
    const events: Prisma.DeviationEventCreateManyInput[] = [
      { deviationId: deviation.id, at: new Date(seed.created), actor: 'system', type: 'created', toValue: { status: 'new' } },
    ];
    if (seed.owner) {
      events.push({ deviationId: deviation.id, at: new Date(seed.owner.at), actor: 'system', type: 'owner-assigned', toValue: { partyCode: seed.owner.code } });
    }
    if (seed.statusAt) {
      events.push({ deviationId: deviation.id, at: new Date(seed.statusAt), actor: 'system', type: 'status-changed', toValue: { status: seed.status.replace(/_/g, '-') } });
    }
    await prisma.deviationEvent.createMany({ data: events });
  }

  users.admin = await createUser(prisma, { name: 'Förvaltningen', role: 'administration' });
  users.supplierA = await createUser(prisma, { name: 'Alfa', role: 'supplier', party: SUPPLIER_A });
  users.supplierB = await createUser(prisma, { name: 'Beta', role: 'supplier', party: SUPPLIER_B });
  users.fk = await createUser(prisma, { name: 'FK', role: 'data-provider', party: 'FK' });
  users.csn = await createUser(prisma, { name: 'CSN', role: 'data-provider', party: 'CSN' });
  users.drift = await createUser(prisma, { name: 'Driften', role: 'operations' });
  users.municipality = await createUser(prisma, { name: 'Norrby', role: 'municipality', system: systems.A.id, municipality: 'Norrby kommun' });
}, 120_000);

/** Runs the CLI; `maxFileBytes` runs it under prlimit, so that writing more to any one file fails with EFBIG. */
function avvik(args: string[], options: { maxFileBytes?: number } = {}) {
  const environment: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: api().databaseUrl, AVVIK_LOG_LEVEL: 'warn' };
  delete environment.REDIS_URL;
  delete environment.AVVIK_FOLLOWUP_FILE;
  const command = [process.execPath, path.join(ROOT, 'bin', 'avvik.js'), ...args];
  if (options.maxFileBytes) {
    command.unshift('prlimit', `--fsize=${options.maxFileBytes}`);
    // tsx's cache files would hit the limit too.
    environment.TSX_DISABLE_CACHE = '1';
  }
  const result = spawnSync(command[0]!, command.slice(1), { cwd: ROOT, env: environment, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Group {
  party: { code: string; kind: string; name: string };
  items: { id: string; title: string; status: string; reason: string; workingDaysUsed: number | null; workingDaysOver: number; deadline: string; contact: unknown; contactRestricted: boolean }[];
}

const nameOf = (id: string) => (Object.keys(ids) as Name[]).find((name) => ids[name] === id) ?? id;
const summarise = (groups: Group[]) => groups.map((group) => [group.party.code, group.items.map((item) => nameOf(item.id)).sort()]);

/** The overdue deviations per party waited on, as the administration sees them, in report order. */
const EXPECTED: [string, Name[]][] = [
  ['SKR', ['A', 'J', 'L']],
  [SUPPLIER_A, ['C']],
  [SUPPLIER_B, ['I']],
  ['CSN', ['G']],
  ['DRIFT', ['E']],
];

describe('avvik followup', () => {
  it('prints the overdue deviations per party as JSON', () => {
    const result = avvik(['followup', '--json', '--today', TODAY]);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { today: string; total: number; groups: Group[] };
    expect(report.today).toBe(TODAY);
    expect(report.total).toBe(7);
    expect(summarise(report.groups)).toEqual(EXPECTED);

    const items = new Map(report.groups.flatMap((group) => group.items).map((item) => [nameOf(item.id), item]));
    expect(items.get('A')).toMatchObject({ reason: 'time-limit', workingDaysUsed: 8, workingDaysOver: 3, deadline: '2027-01-04' });
    expect(items.get('C')).toMatchObject({ reason: 'time-limit', workingDaysUsed: 22, workingDaysOver: 2, deadline: '2027-01-05' });
    expect(items.get('E')).toMatchObject({ reason: 'time-limit', workingDaysUsed: 12, workingDaysOver: 2, deadline: '2027-01-05' });
    expect(items.get('G')).toMatchObject({ reason: 'due-date', workingDaysUsed: null, workingDaysOver: 2, deadline: '2027-01-05' });
    expect(items.get('I')).toMatchObject({ reason: 'due-date', workingDaysOver: 7, deadline: '2026-12-23' });
    expect(items.get('J')).toMatchObject({ reason: 'time-limit', workingDaysUsed: 13, workingDaysOver: 3 });
    expect(items.get('L')).toMatchObject({ reason: 'time-limit', workingDaysUsed: 8, workingDaysOver: 3 });
  });

  it('prints a text report that names each party', () => {
    const result = avvik(['followup', '--today', TODAY]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('7 overdue deviations on 2027-01-08');
    expect(result.stdout).toContain(`Alfa Uppföljning AB (${SUPPLIER_A}, supplier): 1`);
    expect(result.stdout).toContain('(DRIFT, operations): 1');
    expect(result.stdout).toContain('due 2026-12-23, 7 working days over');
    expect(result.stdout).not.toContain('Avvikelse B');
  });

  it('finds nothing overdue a month earlier', () => {
    const result = avvik(['followup', '--json', '--today', '2026-11-03']);
    expect(JSON.parse(result.stdout).total).toBe(0);
  });

  it('counts up to a far --today', () => {
    const result = avvik(['followup', '--json', '--today', '9999-12-31']);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).total).toBeGreaterThan(0);
  });

  it('rejects an empty --digest folder', () => {
    const result = avvik(['followup', '--today', TODAY, '--digest', '']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("option '--digest <dir>' argument '' is invalid. It is empty, so give a path.");
    expect(result.stdout).toBe('');
  });

  it('shows help with an example', () => {
    const result = avvik(['followup', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Examples?:/);
  });

  it('rejects an invalid --today', () => {
    const result = avvik(['followup', '--today', '30.02.2027']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('must be a calendar date as YYYY-MM-DD');
  });

  it('writes one digest per party', () => {
    const result = avvik(['followup', '--today', TODAY, '--digest', digestDir]);
    expect(result.status, result.stderr).toBe(0);
    const files = fs.readdirSync(digestDir).sort();
    expect(files).toEqual(
      ['CSN', 'DRIFT', SUPPLIER_A, SUPPLIER_B, 'SKR'].flatMap((code) => [`${code}.json`, `${code}.txt`]).sort(),
    );

    for (const [code, names] of EXPECTED) {
      const digest = JSON.parse(fs.readFileSync(path.join(digestDir, `${code}.json`), 'utf8')) as { party: { code: string }; total: number; items: Group['items'] };
      expect(digest.party.code, code).toBe(code);
      expect(digest.items.map((item) => nameOf(item.id)).sort(), code).toEqual(names);
      const text = fs.readFileSync(path.join(digestDir, `${code}.txt`), 'utf8');
      for (const name of names) {
        expect(text, code).toContain(`Avvikelse ${name}`);
        expect(text, code).toContain(contactOf(name).email);
      }
      // No other deviation, and no other deviation's contact, reaches this party.
      for (const other of Object.keys(SEEDS) as Name[]) {
        if (names.includes(other)) continue;
        expect(text, `${code} / ${other}`).not.toContain(`Avvikelse ${other}\n`);
        expect(text, `${code} / ${other}`).not.toContain(contactOf(other).email);
        expect(JSON.stringify(digest), `${code} / ${other}`).not.toContain(ids[other]);
      }
    }
    expect(fs.readFileSync(path.join(digestDir, `${SUPPLIER_B}.txt`), 'utf8')).toContain('Due 2026-12-23, 7 working days over');
  });

  it('writes a digest byte for byte', () => {
    const result = avvik(['followup', '--today', TODAY, '--digest', digestDir]);
    expect(result.status, result.stderr).toBe(0);
    const contact = contactOf('E');
    expect(fs.readFileSync(path.join(digestDir, 'DRIFT.txt'), 'utf8')).toBe(
      [
        'Overdue deviations for Driftspart SSBTEK (DRIFT) on 2027-01-08',
        '',
        '1 deviation waits on you past the time limit or due date. Time counts in Swedish working days; weekends and public holidays do not count.',
        '',
        '1. Avvikelse E',
        `   Deviation ${ids.E}, status in-dialogue`,
        '   Since 2026-12-16, 12 of 10 working days used, 2 over (deadline 2027-01-05)',
        `   Concerns Alfa Ekonomi, Västby kommun, ${SUPPLIER_A}`,
        `   Contact: ${contact.name}, ${contact.phone}, ${contact.email}`,
        '',
      ].join('\n'),
    );

    // Each JSON digest is laid out as JSON.stringify(digest, null, 2) with a final line feed.
    for (const [code] of EXPECTED) {
      const raw = fs.readFileSync(path.join(digestDir, `${code}.json`), 'utf8');
      expect(raw, code).toBe(`${JSON.stringify(JSON.parse(raw), null, 2)}\n`);
    }
    // The administration's three items come in report order, numbered from 1.
    const report = JSON.parse(avvik(['followup', '--json', '--today', TODAY]).stdout) as { groups: Group[] };
    const administration = JSON.parse(fs.readFileSync(path.join(digestDir, 'SKR.json'), 'utf8')) as { items: Group['items'] };
    expect(administration.items).toEqual(report.groups[0]!.items);
    const text = fs.readFileSync(path.join(digestDir, 'SKR.txt'), 'utf8');
    const numbered = [...text.matchAll(/^(\d+)\. .*\n {3}Deviation (\S+),/gm)].map((match) => [match[1], match[2]]);
    expect(numbered).toEqual(report.groups[0]!.items.map((item, index) => [String(index + 1), item.id]));
  });

  it('keeps the earlier digest when a write fails', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-digest-full-'));
    try {
      fs.writeFileSync(path.join(folder, 'SKR.txt'), 'earlier text digest');
      fs.writeFileSync(path.join(folder, 'SKR.json'), 'earlier JSON digest');
      // The administration's text digest is below 1,500 bytes and its JSON digest above.
      const result = avvik(['followup', '--today', TODAY, '--digest', folder], { maxFileBytes: 1500 });
      expect(result.status).toBe(1);
      const file = path.join(folder, 'SKR.json');
      expect(result.stderr).toContain(`avvik: Writing the digest ${file} failed, because the file would pass the file size limit of the process (EFBIG).`);
      expect(result.stderr).toContain('Raise the file size limit (`ulimit -f`), or give another folder with --digest, and run the command again.');
      expect(result.stderr).toContain('No half-written digest is left behind');
      // Neither file of the party is replaced, and no temporary file is left.
      expect(fs.readFileSync(path.join(folder, 'SKR.txt'), 'utf8')).toBe('earlier text digest');
      expect(fs.readFileSync(file, 'utf8')).toBe('earlier JSON digest');
      expect(fs.readdirSync(folder).sort()).toEqual(['SKR.json', 'SKR.txt']);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('names a folder in the way of a digest', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-digest-folder-'));
    const blocked = path.join(folder, 'SKR.txt');
    fs.mkdirSync(blocked);
    try {
      const result = avvik(['followup', '--today', TODAY, '--digest', folder]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`avvik: Writing the digest ${blocked} failed, because a folder has that name (EISDIR).`);
      expect(result.stderr).toContain(`Move the folder ${blocked} away, or give another folder with --digest, and run the command again.`);
      // The administration comes first, so nothing else is written. The folder is kept, and no temporary file is left.
      expect(fs.readdirSync(folder)).toEqual(['SKR.txt']);
      expect(fs.readdirSync(blocked)).toEqual([]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('names a --today that does not exist', () => {
    const result = avvik(['followup', '--today', '2027-02-29']);
    expect(result.status).not.toBe(0);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("argument '2027-02-29' is invalid. It must be a date that exists, and 2027-02-29 does not, because February 2027 has 28 days.");
    expect(result.stderr).not.toContain('must be a calendar date as YYYY-MM-DD');
  });

  it('rejects a file as the digest folder', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-digest-file-'));
    const file = path.join(folder, 'sammanfattning.txt');
    fs.writeFileSync(file, 'ingen mapp');
    try {
      const result = avvik(['followup', '--today', TODAY, '--digest', file]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`avvik: --digest ${file} is a file, but a folder is expected.`);
      expect(result.stderr).not.toContain('EEXIST');
      expect(fs.readFileSync(file, 'utf8')).toBe('ingen mapp');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('GET /api/followup', () => {
  const cases: [keyof typeof users, [string, Name[]][]][] = [
    ['admin', EXPECTED],
    // Supplier A sees its own system's deviations, whoever they wait on.
    ['supplierA', [['SKR', ['A', 'L']], [SUPPLIER_A, ['C']], ['DRIFT', ['E']]]],
    ['supplierB', [['SKR', ['J']], [SUPPLIER_B, ['I']], ['CSN', ['G']]]],
    // FK owns D only, and D is on time.
    ['fk', []],
    ['csn', [['CSN', ['G']]]],
    ['drift', [['DRIFT', ['E']]]],
    // Norrby's user sees Alfa's deviations in Norrby, not E in Västby.
    ['municipality', [['SKR', ['A', 'L']], [SUPPLIER_A, ['C']]]],
  ];

  it.each(cases)('%s sees its overdue deviations', async (user, expected) => {
    const answer = await request(api().app, users[user], 'GET', '/api/followup');
    expect(answer.statusCode, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.today).toBe(TODAY);
    expect(summarise(answer.body.groups)).toEqual(expected);
  });

  it('hides contact details from a municipality user', async () => {
    const answer = await request(api().app, users.municipality, 'GET', '/api/followup');
    const items = (answer.body.groups as Group[]).flatMap((group) => group.items);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.contact).toBeNull();
      expect(item.contactRestricted).toBe(true);
    }
    expect(JSON.stringify(answer.body)).not.toContain('@example.se');
    expect(JSON.stringify(answer.body)).not.toContain('070-111 22 33');
    expect(items.find((item) => item.title.startsWith('Avvikelse A'))?.title).toBe('Avvikelse A, ring [contact hidden]');
  });

  it('shows the administration titles whole', async () => {
    const answer = await request(api().app, users.admin, 'GET', '/api/followup');
    expect(JSON.stringify(answer.body)).toContain('Avvikelse A, ring 070-111 22 33');
  });

  it('shows contact details to the owner', async () => {
    const answer = await request(api().app, users.drift, 'GET', '/api/followup');
    expect(answer.body.groups[0].items[0].contact).toEqual(contactOf('E'));
  });

  it('filters by party', async () => {
    const answer = await request(api().app, users.admin, 'GET', '/api/followup?party=CSN');
    expect(summarise(answer.body.groups)).toEqual([['CSN', ['G']]]);
  });

  it('rejects unknown parameters', async () => {
    const answer = await request(api().app, users.admin, 'GET', '/api/followup?parti=CSN');
    expect(answer.statusCode).toBe(400);
  });

  it('is in the OpenAPI document', async () => {
    const answer = await request(api().app, null, 'GET', '/api/openapi.json');
    expect(Object.keys(answer.body.paths)).toContain('/api/followup');
  });
});
