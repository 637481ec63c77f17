// A municipality's user sees a deviation that one of its own uploads reported again, even when
// the deviation was first created from another declaration outside its scope.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviationScope } from '../src/api/scope.ts';
import type { Actor } from '../src/workflow/actor.ts';
import { createTestDatabase, type TestDatabase } from './support/services.ts';

let testDatabase: TestDatabase;
beforeAll(async () => {
  testDatabase = await createTestDatabase();
});
afterAll(async () => {
  await testDatabase?.drop();
});

describe('deviationScope through occurrences', () => {
  it('shows a re-reported deviation to the uploader only', async () => {
    const { prisma } = testDatabase.database;
    const supplier = await prisma.party.create({ data: { code: 'ORG-5560000099', kind: 'supplier', name: 'Prov AB' } });
    const system = await prisma.businessSystem.create({ data: { name: 'Provsystemet', supplierId: supplier.id } });
    const uploaderId = randomUUID();
    const otherId = randomUUID();
    for (const id of [uploaderId, otherId]) {
      await prisma.user.create({
        data: { id, name: 'Handläggare', role: 'municipality', businessSystemId: system.id, municipality: 'Provby kommun', tokenHash: randomUUID() },
      });
    }
    const first = await prisma.declaration.create({ data: { sha256: randomUUID(), fileName: 'a.xlsx', mediaType: 'x', sizeBytes: 1 } });
    const again = await prisma.declaration.create({
      data: { sha256: randomUUID(), fileName: 'b.xlsx', mediaType: 'x', sizeBytes: 1, uploadedById: uploaderId },
    });
    const deviation = await prisma.deviation.create({
      data: {
        declarationId: first.id,
        businessSystemId: system.id,
        supplierCode: supplier.code,
        municipality: null,
        title: 'K-1: Systemet ska visa bostadsbidrag.',
        proposedArea: 'business_system',
        proposedPartyKind: 'supplier',
        proposalEvidence: [],
        proposalCandidates: [],
        proposalConfidence: 1,
        ruleSetVersion: 'test',
      },
    });
    await prisma.deviationOccurrence.create({ data: { deviationId: deviation.id, declarationId: again.id, answer: 'not_met', seenAt: new Date() } });

    const actor = (userId: string): Actor => ({
      userId,
      name: 'Handläggare',
      role: 'municipality',
      party: null,
      businessSystem: { id: system.id, name: system.name, supplierCode: supplier.code },
      municipality: 'Provby kommun',
    });
    expect(await prisma.deviation.count({ where: deviationScope(actor(uploaderId)) })).toBe(1);
    expect(await prisma.deviation.count({ where: deviationScope(actor(otherId)) })).toBe(0);
  });
});
