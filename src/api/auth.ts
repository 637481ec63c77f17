/**
 * API tokens: random secrets shown once, stored as their SHA-256 only. A request proves who
 * it is with `Authorization: Bearer TOKEN`. The queue dashboard also takes HTTP Basic with the
 * token as the password, because a browser resends Basic credentials by itself.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient, Role as DbRole } from '../generated/prisma/client.ts';
import { fromDbPartyKind } from '../db/enums.ts';
import type { Actor, Role } from '../workflow/actor.ts';
import { HttpError } from './errors.ts';

const TOKEN_PREFIX = 'avvik_';

/** Creates a new token: the prefix and 32 random bytes in base64url, 256 bits of entropy. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export const toRole = (role: DbRole) => role.replace(/_/g, '-') as Role;
export const toDbRole = (role: Role) => role.replace(/-/g, '_') as DbRole;

export interface AuthenticationOptions {
  /** Accept `Basic base64(anything:TOKEN)` too, for the browser-facing queue dashboard. */
  allowBasic?: boolean;
}

/** Finds the user of the request's token. Throws HttpError 401 with a message that states the fix. */
export async function authenticate(
  prisma: PrismaClient,
  authorization: string | undefined,
  options: AuthenticationOptions = {},
): Promise<Actor> {
  const challenge = options.allowBasic
    ? { 'www-authenticate': 'Basic realm="Avvik queue dashboard", charset="UTF-8"' }
    : { 'www-authenticate': 'Bearer realm="avvik"' };
  const unauthorized = (code: string, message: string) => new HttpError(401, code, message, {}, challenge);

  if (!authorization?.trim()) {
    throw unauthorized(
      'missing-token',
      "This endpoint needs an API token. Send it in the Authorization header as 'Bearer TOKEN'; the administration creates tokens with `avvik users create`.",
    );
  }
  const token = readToken(authorization, options.allowBasic ?? false);
  if (!token) {
    const forms = options.allowBasic ? "'Bearer TOKEN', or Basic with the token as the password" : "'Bearer TOKEN'";
    throw unauthorized('invalid-authorization-header', `The Authorization header must have the form ${forms}.`);
  }

  const user = await prisma.user.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { party: true, businessSystem: { include: { supplier: { select: { code: true } } } } },
  });
  if (!user) {
    throw unauthorized('invalid-token', 'The API token is not valid. Check that it was copied whole, or ask the administration for a new one.');
  }
  if (user.revokedAt) {
    throw unauthorized(
      'token-revoked',
      `This API token was revoked on ${user.revokedAt.toISOString().slice(0, 10)}. Ask the administration for a new one.`,
    );
  }

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

function readToken(authorization: string, allowBasic: boolean): string | null {
  const [scheme, credentials, ...rest] = authorization.trim().split(/\s+/);
  if (!scheme || !credentials || rest.length > 0) return null;
  if (scheme.toLowerCase() === 'bearer') return credentials;
  if (allowBasic && scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    const password = separator >= 0 ? decoded.slice(separator + 1) : '';
    return password || null;
  }
  return null;
}
