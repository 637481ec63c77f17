import type { PartyKind } from '../rules/model.ts';

/** The roles an API user can have; the database stores them in snake case. */
export const ROLES = ['supplier', 'municipality', 'data-provider', 'operations', 'administration'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The maximum length of a user name, in UTF-16 code units as JavaScript counts string length.
 * A user's name is that of a person or a system, which fits with room to spare.
 */
export const MAX_USER_NAME_LENGTH = 200;

/** The signed-in user on whose behalf a request reads or changes data. */
export interface Actor {
  userId: string;
  name: string;
  role: Role;
  /** The party the user acts for; null for a municipality's user. */
  party: { id: string; code: string; kind: PartyKind } | null;
  /** The business system a municipality's user works with, and the code of its supplier. */
  businessSystem: { id: string; name: string; supplierCode: string } | null;
  municipality: string | null;
}

export const isAdministration = (actor: Actor) => actor.role === 'administration';
