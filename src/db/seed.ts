import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Party } from '../rules/parties.ts';
import { toDbPartyKind } from './enums.ts';

/**
 * Inserts or updates the reference parties and their base services from the parties file.
 * Parties that the file no longer lists are kept, because deviations may refer to them.
 */
export async function seedReferenceParties(prisma: PrismaClient, parties: Party[]): Promise<number> {
  for (const party of parties) {
    const fields = { kind: toDbPartyKind(party.kind), name: party.name, aliases: party.aliases };
    const stored = await prisma.party.upsert({
      where: { code: party.code },
      create: { code: party.code, ...fields },
      update: fields,
      select: { id: true },
    });
    for (const service of party.baseServices) {
      const serviceFields = { name: service.name, aliases: service.aliases, providerId: stored.id };
      await prisma.baseService.upsert({
        where: { code: service.code },
        create: { code: service.code, ...serviceFields },
        update: serviceFields,
      });
    }
  }
  return parties.length;
}
