/**
 * Actors for reads made outside an HTTP request: the command line acting as the administration,
 * as a stored user, or as a whole party when writing that party's digest.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import { toRole } from '../api/auth.ts';
import { fromDbPartyKind } from '../db/enums.ts';
import type { PartyKind } from '../rules/model.ts';
import type { Actor, Role } from '../workflow/actor.ts';

/**
 * The user id of an actor that stands for a party rather than a person. It matches no stored
 * user, so the scope grants such an actor only what every user of the party may see, and nothing
 * that one user sees because that user uploaded or reported it.
 */
export const NO_USER_ID = '00000000-0000-0000-0000-000000000000';

const ROLE_OF_PARTY_KIND: Record<PartyKind, Exclude<Role, 'municipality'>> = {
  supplier: 'supplier',
  'data-provider': 'data-provider',
  operations: 'operations',
  administration: 'administration',
};

/** Builds the actor that stands for a whole party. */
export function partyActor(party: { id: string; code: string; kind: PartyKind; name: string }): Actor {
  return {
    userId: NO_USER_ID,
    name: party.name,
    role: ROLE_OF_PARTY_KIND[party.kind],
    party: { id: party.id, code: party.code, kind: party.kind },
    businessSystem: null,
    municipality: null,
  };
}

/** Builds the actor of the administration party, which sees every deviation. */
export async function administrationActor(prisma: PrismaClient): Promise<Actor> {
  const party = await prisma.party.findFirst({ where: { kind: 'administration' }, select: { id: true, code: true, name: true } });
  if (!party) throw new Error('No administration party is stored; run `avvik db migrate` to load the reference parties.');
  return partyActor({ ...party, kind: 'administration' });
}

/**
 * Builds the actor of a stored user, as authentication would for that user's token. A revoked
 * user is accepted, because acting as a user only narrows what is read.
 */
export async function userActor(prisma: PrismaClient, userId: string): Promise<Actor> {
  const user = /^[0-9a-f-]{36}$/i.test(userId)
    ? await prisma.user.findUnique({
        where: { id: userId },
        include: { party: true, businessSystem: { include: { supplier: { select: { code: true } } } } },
      })
    : null;
  if (!user) throw new Error(`No user has the id ${userId}. List the users with \`avvik users list\`.`);
  return {
    userId: user.id,
    name: user.name,
    role: toRole(user.role),
    party: user.party ? { id: user.party.id, code: user.party.code, kind: fromDbPartyKind(user.party.kind) } : null,
    businessSystem: user.businessSystem
      ? { id: user.businessSystem.id, name: user.businessSystem.name, supplierCode: user.businessSystem.supplier.code }
      : null,
    municipality: user.municipality,
  };
}
