/** Creating, revoking and listing API users. The token is returned once and only its hash is stored. */
import type { PartyKind as DbPartyKind, PrismaClient } from '../generated/prisma/client.ts';
import { fromDbPartyKind } from '../db/enums.ts';
import { MAX_USER_NAME_LENGTH, type Role } from '../workflow/actor.ts';
import { generateToken, hashToken, toDbRole, toRole } from './auth.ts';
import { otherCaseHint, storedCodeInOtherCase } from './party-filter.ts';

/** A user request that cannot be carried out. The message names the invalid value and what to do. */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
}

export interface NewUser {
  name: string;
  role: Role;
  party?: string;
  system?: string;
  municipality?: string;
}

export interface UserSummary {
  id: string;
  name: string;
  role: Role;
  party: string | null;
  system: { id: string; name: string } | null;
  municipality: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** The party kind each role acts for; a municipality's user acts for a business system instead. */
const PARTY_KIND_OF_ROLE: Record<Exclude<Role, 'municipality'>, DbPartyKind> = {
  supplier: 'supplier',
  'data-provider': 'data_provider',
  operations: 'operations',
  administration: 'administration',
};

/** Stores a new user and returns it with its token, which is not stored and cannot be shown again. */
export async function createApiUser(prisma: PrismaClient, request: NewUser): Promise<{ user: UserSummary; token: string }> {
  const name = request.name.trim();
  if (!name) throw new UserInputError('--name must not be empty.');
  if (name.length > MAX_USER_NAME_LENGTH) {
    throw new UserInputError(
      `--name has ${name.length} characters, more than the maximum of ${MAX_USER_NAME_LENGTH}. Give the person's or the system's name, without a description.`,
    );
  }
  const link = request.role === 'municipality' ? await municipalityLink(prisma, request) : await partyLink(prisma, request.role, request);

  const token = generateToken();
  const user = await prisma.user.create({
    data: { name, role: toDbRole(request.role), tokenHash: hashToken(token), ...link },
    include: userInclude,
  });
  return { user: summarise(user), token };
}

async function municipalityLink(prisma: PrismaClient, request: NewUser) {
  if (request.party) throw new UserInputError('--party does not apply to role municipality; give --system and --municipality.');
  // Cover facts are read in Unicode NFC, so a name typed decomposed still matches them.
  const municipality = request.municipality?.normalize('NFC').trim();
  if (!request.system || !municipality) {
    throw new UserInputError('Role municipality needs --system (the business system id) and --municipality (the municipality name).');
  }
  const system = /^[0-9a-f-]{36}$/i.test(request.system)
    ? await prisma.businessSystem.findUnique({ where: { id: request.system }, select: { id: true } })
    : null;
  if (!system) {
    throw new UserInputError(
      `No business system has the id ${request.system}. \`avvik suppliers list\` prints the ids of the stored systems. ` +
        'Store a new one with `avvik suppliers add --name SUPPLIER --system NAME`, which prints its id, or ingest a declaration naming it.',
    );
  }
  return { businessSystemId: system.id, municipality };
}

async function partyLink(prisma: PrismaClient, role: Exclude<Role, 'municipality'>, request: NewUser) {
  if (request.system || request.municipality) {
    throw new UserInputError(`--system and --municipality apply only to role municipality, not to ${role}.`);
  }
  const kind = PARTY_KIND_OF_ROLE[role];
  if (!request.party) {
    if (kind === 'supplier' || kind === 'data_provider') throw new UserInputError(`Role ${role} needs --party with the code of a ${fromDbPartyKind(kind)}.`);
    // The parties file contains exactly one operations party and one administration.
    const only = await prisma.party.findFirst({ where: { kind }, select: { id: true } });
    if (!only) throw new UserInputError(`No party of kind ${fromDbPartyKind(kind)} is stored; run \`avvik db migrate\` to load the reference parties.`);
    return { partyId: only.id };
  }

  const party = await prisma.party.findUnique({ where: { code: request.party }, select: { id: true, kind: true } });
  if (!party) {
    const sameLetters = await storedCodeInOtherCase(prisma, request.party, { kind });
    if (sameLetters) throw new UserInputError(`No party has the code ${request.party}. ${otherCaseHint(sameLetters)}`);
    const hint = kind === 'supplier'
      ? ' Store the supplier first with `avvik suppliers add --name NAME --org-number NUMBER`, or ingest one of its declarations; its code is ORG- and the digits of its organisation number.'
      : '';
    throw new UserInputError(`No party has the code ${request.party}.${hint}`);
  }
  if (party.kind !== kind) {
    throw new UserInputError(`Party ${request.party} is of kind ${fromDbPartyKind(party.kind)}, but role ${role} needs a party of kind ${fromDbPartyKind(kind)}.`);
  }
  return { partyId: party.id };
}

/** Marks a user's token revoked; returns the user, or null when no user has the id. Revoking twice keeps the first time. */
export async function revokeApiUser(prisma: PrismaClient, id: string): Promise<UserSummary | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const user = await prisma.user.findUnique({ where: { id }, select: { revokedAt: true } });
  if (!user) return null;
  const updated = await prisma.user.update({
    where: { id },
    data: { revokedAt: user.revokedAt ?? new Date() },
    include: userInclude,
  });
  return summarise(updated);
}

export async function listApiUsers(prisma: PrismaClient): Promise<UserSummary[]> {
  const users = await prisma.user.findMany({ include: userInclude, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return users.map(summarise);
}

const userInclude = { party: { select: { code: true } }, businessSystem: { select: { id: true, name: true } } } as const;

function summarise(user: {
  id: string;
  name: string;
  role: Parameters<typeof toRole>[0];
  party: { code: string } | null;
  businessSystem: { id: string; name: string } | null;
  municipality: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}): UserSummary {
  return {
    id: user.id,
    name: user.name,
    role: toRole(user.role),
    party: user.party?.code ?? null,
    system: user.businessSystem,
    municipality: user.municipality,
    createdAt: user.createdAt.toISOString(),
    revokedAt: user.revokedAt?.toISOString() ?? null,
  };
}
