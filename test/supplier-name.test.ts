// A cover whose organisation number belongs to a supplier stored under another name, as when the
// number is mistyped, is filed under the number's supplier with a warning for the administration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDeclaration } from '../src/ingest/intake.ts';
import { createLogger } from '../src/log.ts';
import { loadParties } from '../src/rules/parties.ts';
import { loadRuleSet } from '../src/rules/ruleset.ts';
import { processDeclaration } from '../src/workers/process-declaration.ts';
import { createTestDatabase, type TestDatabase } from './support/services.ts';
import { buildDeclarationWorkbook } from './support/workbooks.ts';

const ORGANISATION_NUMBER = '556111-2227';
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const first = await ingest('Namnkollen AB', 'Första systemet');
  expect(first.warnings).toEqual([]);
});
afterAll(async () => {
  await database?.drop();
});

/** Stores and processes a declaration naming the supplier, and returns its warnings and supplier. */
async function ingest(supplier: string, system: string) {
  const { prisma } = database.database;
  const bytes = await buildDeclarationWorkbook({ requirements: 3, notMetEvery: 2, supplier, organisationNumber: ORGANISATION_NUMBER, system });
  const stored = await storeDeclaration(prisma, bytes, { fileName: `${system}.xlsx`, maxBytes: 10_000_000 });
  const context = { prisma, ruleSet: loadRuleSet(), parties: loadParties(), log: createLogger('silent'), maxBytes: 10_000_000 };
  expect(await processDeclaration(context, stored.id)).toMatchObject({ status: 'parsed' });
  const declaration = await prisma.declaration.findUniqueOrThrow({
    where: { id: stored.id },
    select: { parseReport: true, supplier: { select: { name: true } } },
  });
  return { warnings: (declaration.parseReport as { warnings: string[] }).warnings, supplier: declaration.supplier?.name };
}

describe('cover supplier name', () => {
  it('warns when the number belongs to another name', async () => {
    const other = await ingest('Annan Leverantör AB', 'Andra systemet');
    expect(other.supplier).toBe('Namnkollen AB');
    const warning = other.warnings.find((text) => text.includes("The cover names the supplier 'Annan Leverantör AB'"));
    expect(warning).toContain(`organisation number ${ORGANISATION_NUMBER} belongs to the stored supplier 'Namnkollen AB'`);
  });

  it('accepts the name written another way', async () => {
    const same = await ingest('NAMNKOLLEN  A.B.', 'Tredje systemet');
    expect(same.supplier).toBe('Namnkollen AB');
    expect(same.warnings).toEqual([]);
  });
});
