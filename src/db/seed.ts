import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Party } from '../rules/parties.ts';
import { toDbPartyKind } from './enums.ts';
import { sqlOf } from './sql.ts';

const UPSERT_PARTY = `
INSERT INTO "Party" (id, code, kind, name, aliases) VALUES ($1::uuid, $2::text, $3::"PartyKind", $4::text, $5::text[])
ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, aliases = EXCLUDED.aliases
RETURNING id::text AS id`;

const UPSERT_SERVICE = `
INSERT INTO "BaseService" (id, code, name, aliases, "providerId") VALUES ($1::uuid, $2::text, $3::text, $4::text[], $5::uuid)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, aliases = EXCLUDED.aliases, "providerId" = EXCLUDED."providerId"`;

/**
 * Inserts or updates the reference parties and their base services from the parties file.
 * Parties that the file no longer lists are kept, because deviations may refer to them. The
 * statements are Avvik's own, so that a worker's start needs none of Prisma's query compiler.
 */
export async function seedReferenceParties(prisma: PrismaClient, parties: Party[]): Promise<number> {
  await sqlOf(prisma).transaction(async (session) => {
    for (const party of parties) {
      const [stored] = await session.query<{ id: string }>(UPSERT_PARTY, [randomUUID(), party.code, toDbPartyKind(party.kind), party.name, party.aliases]);
      for (const service of party.baseServices) {
        await session.query(UPSERT_SERVICE, [randomUUID(), service.code, service.name, service.aliases, stored!.id]);
      }
    }
  });
  return parties.length;
}
