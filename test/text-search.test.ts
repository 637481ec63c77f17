// Free-text search where contact details are hidden. The SQL form of the contact rule is checked
// against the rule in code, on rows built to hit each of its branches and NULL columns. The limit
// on rows checked in JavaScript is checked at the limit and one row beyond it, in the list, the
// export and `avvik export`.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_FACTS_SELECT, contactScope, mayReadDeviationContact } from '../src/api/scope.ts';
import { MAX_MASKED_SEARCH_ROWS } from '../src/api/text-search.ts';
import type { Prisma } from '../src/generated/prisma/client.ts';
import type { Actor } from '../src/workflow/actor.ts';
import { createUser, request, useTestApi, type TestUser } from './support/api.ts';

const api = useTestApi({ queue: false });
const ROOT = path.resolve(import.meta.dirname, '..');

function avvikExport(args: string[]) {
  const environment: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: api().databaseUrl, AVVIK_LOG_LEVEL: 'warn' };
  delete environment.REDIS_URL;
  return spawnSync(process.execPath, [path.join(ROOT, 'bin', 'avvik.js'), 'export', ...args], { cwd: ROOT, env: environment, encoding: 'utf8', timeout: 120_000 });
}

const MUNICIPALITY = 'Gränsby kommun';

function deviationData(overrides: Partial<Prisma.DeviationCreateManyInput>): Prisma.DeviationCreateManyInput {
  return {
    title: 'Avvikelse',
    proposedArea: 'business_system',
    proposedPartyKind: 'supplier',
    proposalEvidence: [],
    proposalCandidates: [],
    proposalConfidence: 1,
    ruleSetVersion: 'test',
    ...overrides,
  };
}

describe('contactScope', () => {
  it('agrees with mayReadDeviationContact both ways', async () => {
    const { prisma } = api();
    const supplier = await prisma.party.create({ data: { code: 'ORG-5569990001', kind: 'supplier', name: 'Regel AB' } });
    const otherSupplier = await prisma.party.create({ data: { code: 'ORG-5569990002', kind: 'supplier', name: 'Annan AB' } });
    const fk = await prisma.party.findUniqueOrThrow({ where: { code: 'FK' } });
    const system = await prisma.businessSystem.create({ data: { name: 'Regelsystemet', supplierId: supplier.id } });
    const otherSystem = await prisma.businessSystem.create({ data: { name: 'Annat system', supplierId: otherSupplier.id } });

    const user = async (data: Omit<Prisma.UserUncheckedCreateInput, 'tokenHash' | 'name'>) =>
      (await prisma.user.create({ data: { name: 'Användare', tokenHash: randomUUID(), ...data } })).id;
    const users = {
      supplier: await user({ role: 'supplier', partyId: supplier.id }),
      supplierColleague: await user({ role: 'supplier', partyId: supplier.id }),
      fk: await user({ role: 'data_provider', partyId: fk.id }),
      municipality: await user({ role: 'municipality', businessSystemId: system.id, municipality: MUNICIPALITY }),
      // The same system and municipality, the name in other letter case.
      municipalityColleague: await user({ role: 'municipality', businessSystemId: system.id, municipality: 'GRÄNSBY KOMMUN' }),
      otherMunicipality: await user({ role: 'municipality', businessSystemId: system.id, municipality: 'Annanby kommun' }),
      otherSystem: await user({ role: 'municipality', businessSystemId: otherSystem.id, municipality: MUNICIPALITY }),
      withoutParty: await user({ role: 'operations' }),
    };
    const declaration = async (uploadedById: string | null) =>
      (await prisma.declaration.create({ data: { sha256: randomUUID(), fileName: 'd.xlsx', mediaType: 'x', sizeBytes: 1, uploadedById } })).id;
    const uploadedByMunicipality = await declaration(users.municipality);
    const uploadedBySupplier = await declaration(users.supplier);
    const uploadedByNobody = await declaration(null);

    const rows: Partial<Prisma.DeviationCreateManyInput>[] = [
      {},
      { supplierCode: supplier.code },
      { supplierCode: otherSupplier.code, declarationId: uploadedByNobody },
      { supplierCode: supplier.code, declarationId: uploadedByNobody },
      { declarationId: uploadedByMunicipality },
      { declarationId: uploadedBySupplier, supplierCode: otherSupplier.code },
      { ownerPartyCode: 'FK' },
      { ownerPartyCode: supplier.code, reportedById: users.otherSystem },
      { reportedById: users.supplier },
      { reportedById: users.supplierColleague, supplierCode: otherSupplier.code },
      { reportedById: users.fk, supplierCode: supplier.code },
      { reportedById: users.municipality, declarationId: uploadedBySupplier },
      { reportedById: users.municipalityColleague },
      { reportedById: users.otherMunicipality },
      { reportedById: users.otherSystem, supplierCode: supplier.code },
      { reportedById: users.withoutParty },
    ];
    const ids = rows.map(() => randomUUID());
    await prisma.deviation.createMany({ data: rows.map((row, index) => deviationData({ id: ids[index], ...row })) });

    const actors: Actor[] = [
      actor(users.supplier, 'supplier', { party: { id: supplier.id, code: supplier.code, kind: 'supplier' } }),
      actor(users.fk, 'data-provider', { party: { id: fk.id, code: 'FK', kind: 'data-provider' } }),
      actor(users.municipality, 'municipality', {
        businessSystem: { id: system.id, name: system.name, supplierCode: supplier.code },
        municipality: MUNICIPALITY,
      }),
      actor(users.otherMunicipality, 'municipality', {
        businessSystem: { id: system.id, name: system.name, supplierCode: supplier.code },
        municipality: 'Annanby kommun',
      }),
    ];
    const records = await prisma.deviation.findMany({ where: { id: { in: ids } }, select: { id: true, ...CONTACT_FACTS_SELECT } });
    for (const reader of actors) {
      const readable = records.filter((record) => mayReadDeviationContact(reader, record)).map((record) => record.id);
      const hidden = ids.filter((id) => !readable.includes(id));
      const inSql = await prisma.deviation.findMany({ where: { AND: [{ id: { in: ids } }, contactScope(reader)] }, select: { id: true } });
      const outsideSql = await prisma.deviation.findMany({ where: { AND: [{ id: { in: ids } }, { NOT: contactScope(reader) }] }, select: { id: true } });
      expect(inSql.map((row) => row.id).sort(), `${reader.role} readable`).toEqual(readable.sort());
      expect(outsideSql.map((row) => row.id).sort(), `${reader.role} hidden`).toEqual(hidden.sort());
      // Each rule has rows on both sides, so neither side is empty by accident.
      expect(readable.length, `${reader.role} readable`).toBeGreaterThan(0);
      expect(hidden.length, `${reader.role} hidden`).toBeGreaterThan(0);
    }
  });
});

function actor(userId: string, role: Actor['role'], details: Partial<Actor>): Actor {
  return { userId, name: 'Användare', role, party: null, businessSystem: null, municipality: null, ...details };
}

describe('search of masked text', () => {
  let municipalityUser: TestUser;
  let admin: TestUser;
  let systemId: string;

  beforeAll(async () => {
    const { prisma } = api();
    const supplier = await prisma.party.create({ data: { code: 'ORG-5569990003', kind: 'supplier', name: 'Gräns AB' } });
    systemId = (await prisma.businessSystem.create({ data: { name: 'Gränssystemet', supplierId: supplier.id } })).id;
    municipalityUser = await createUser(prisma, { name: 'Gränsby socialtjänst', role: 'municipality', system: systemId, municipality: MUNICIPALITY });
    admin = await createUser(prisma, { name: 'Förvaltningen', role: 'administration' });
    // Rows of the user's system and municipality that no user reported, so the user sees them but not their contacts.
    for (let start = 0; start < MAX_MASKED_SEARCH_ROWS; start += 1_000) {
      const data = Array.from({ length: 1_000 }, (_, offset) =>
        deviationData({ businessSystemId: systemId, municipality: MUNICIPALITY, title: `Ring 070-123 45 67 om ärende ${start + offset}.` }),
      );
      await prisma.deviation.createMany({ data });
    }
  }, 120_000);

  const search = (user: TestUser, query: string) => request(api().app, user, 'GET', `/api/deviations?limit=500&${query}`);

  it('checks every hidden row up to the limit', async () => {
    const byPhone = await search(municipalityUser, `q=${encodeURIComponent('070-123')}`);
    expect(byPhone.statusCode).toBe(200);
    expect(byPhone.body.total).toBe(0);

    const byWords = await search(municipalityUser, `q=${encodeURIComponent('om ärende')}`);
    expect(byWords.statusCode).toBe(200);
    expect(byWords.body.total).toBe(MAX_MASKED_SEARCH_ROWS);
    expect(byWords.body.items).toHaveLength(500);
    expect(byWords.body.items[0].title).toMatch(/^Ring \[contact hidden\] om ärende \d+\.$/);

    const oneRow = await search(municipalityUser, `q=${encodeURIComponent('[contact hidden] om ärende 4711.')}`);
    expect(oneRow.body.total).toBe(1);
    expect(oneRow.body.items[0].title).toBe('Ring [contact hidden] om ärende 4711.');

    const asAdministration = await search(admin, `q=${encodeURIComponent('070-123')}`);
    expect(asAdministration.body.total).toBe(MAX_MASKED_SEARCH_ROWS);
  });

  it('exports what the list finds', async () => {
    const byPhone = await request(api().app, municipalityUser, 'GET', `/api/deviations/export?format=csv&q=${encodeURIComponent('070-123')}`);
    expect(byPhone.statusCode).toBe(200);
    const lines = byPhone.raw.body.split('\r\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);

    const oneRow = await request(api().app, municipalityUser, 'GET', `/api/deviations/export?format=csv&q=${encodeURIComponent('ärende 4711.')}`);
    expect(oneRow.statusCode).toBe(200);
    expect(oneRow.raw.body).toContain('Ring [contact hidden] om ärende 4711.');
    expect(oneRow.raw.body).not.toContain('070-123');
  });

  it('rejects a search beyond the limit, whatever its text', async () => {
    const { prisma } = api();
    await prisma.deviation.create({ data: deviationData({ businessSystemId: systemId, municipality: MUNICIPALITY, title: 'Ring 070-123 45 67 om ärende extra.' }) });
    for (const text of ['070-123', 'finns inte']) {
      const answer = await search(municipalityUser, `q=${encodeURIComponent(text)}`);
      expect(answer.statusCode, text).toBe(400);
      expect(answer.body.code, text).toBe('search-too-broad');
      expect(answer.body.message, text).toBe(
        'Free-text search checks at most 10,000 deviations whose contact details are hidden from you, and your other filters leave 10,001. ' +
          'Narrow it with filters such as status, system, municipality or overdue. The administration searches without this limit.',
      );

      const exported = await request(api().app, municipalityUser, 'GET', `/api/deviations/export?format=csv&q=${encodeURIComponent(text)}`);
      expect(exported.statusCode, text).toBe(400);
      expect(exported.body.code, text).toBe('search-too-broad');
    }

    // Other filters narrow the rows before the limit applies, and the administration has no limit.
    const narrowed = await search(municipalityUser, `status=closed&q=${encodeURIComponent('070-123')}`);
    expect(narrowed.statusCode).toBe(200);
    expect(narrowed.body.total).toBe(0);
    const asAdministration = await search(admin, `q=${encodeURIComponent('070-123')}`);
    expect(asAdministration.body.total).toBe(MAX_MASKED_SEARCH_ROWS + 1);
    const withoutSearch = await search(municipalityUser, '');
    expect(withoutSearch.body.total).toBe(MAX_MASKED_SEARCH_ROWS + 1);
  });

  it('stops avvik export beyond the limit', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-search-export-'));
    try {
      const out = path.join(folder, 'deviations.csv');
      fs.writeFileSync(out, 'earlier export');
      const tooBroad = avvikExport(['--format', 'csv', '--out', out, '--as-user', municipalityUser.id, '--search', '070-123']);
      expect(tooBroad.status).toBe(1);
      expect(tooBroad.stdout).toBe('');
      expect(tooBroad.stderr).toContain('avvik: Free-text search checks at most 10,000 deviations whose contact details are hidden from you');
      expect(tooBroad.stderr).not.toMatch(/^\s+at /m);
      expect(fs.readFileSync(out, 'utf8')).toBe('earlier export');
      expect(fs.existsSync(`${out}.partial`)).toBe(false);

      const narrowed = avvikExport(['--format', 'csv', '--out', out, '--as-user', municipalityUser.id, '--status', 'closed', '--search', '070-123']);
      expect(narrowed.status, narrowed.stderr).toBe(0);
      expect(narrowed.stdout).toBe(`Wrote 0 deviations to ${out}.\n`);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
