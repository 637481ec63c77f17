/**
 * Visibility, the access-control rule of the API, expressed once as Prisma filters. Every read
 * of deviations, declarations, comments, attachments, history and files goes through the reads
 * modules, which AND these filters into their queries. No handler filters records itself.
 *
 * Who sees a deviation:
 * - the administration: every deviation;
 * - a supplier: deviations of its own declarations and business systems (supplierCode is its
 *   party code), deviations it owns, deviations its users reported, and those of declarations
 *   it uploaded, including deviations that such a declaration reported again;
 * - a municipality's user: deviations of its business system in its municipality, and those it
 *   reported or that a declaration it uploaded reported, first or again;
 * - a data provider or the operations party: deviations whose owner, as a person confirmed or
 *   assigned it, is that party, and those its users reported. An unconfirmed proposal is not
 *   enough, because a wrong proposal would show one party's deviations to another.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import type { Actor } from '../workflow/actor.ts';
import { equalsIgnoringCase } from './text-match.ts';

/** A filter that matches no row, for roles that see no record of a kind. */
const NOTHING = { id: { in: [] as string[] } };

function partyOf(actor: Actor) {
  if (!actor.party) throw new Error(`User ${actor.userId} has role ${actor.role} but no party.`);
  return actor.party;
}

function systemOf(actor: Actor) {
  if (!actor.businessSystem || !actor.municipality) {
    throw new Error(`User ${actor.userId} has role municipality but no business system or municipality.`);
  }
  return { system: actor.businessSystem, municipality: actor.municipality };
}

/** Builds the filter that matches the deviations the actor may see. */
export function deviationScope(actor: Actor): Prisma.DeviationWhereInput {
  switch (actor.role) {
    case 'administration':
      return {};
    case 'supplier': {
      const party = partyOf(actor);
      return {
        OR: [
          { supplierCode: party.code },
          { ownerPartyCode: party.code },
          { reportedBy: { is: { partyId: party.id } } },
          { declaration: { is: { uploadedById: actor.userId } } },
          { occurrences: { some: { declaration: { uploadedById: actor.userId } } } },
        ],
      };
    }
    case 'municipality': {
      const { system, municipality } = systemOf(actor);
      return {
        OR: [
          { businessSystemId: system.id, municipality: equalsIgnoringCase(municipality) },
          { reportedById: actor.userId },
          { declaration: { is: { uploadedById: actor.userId } } },
          // A deviation first reported in another declaration, and reported again in one of
          // this user's uploads, is one of this user's deviations too.
          { occurrences: { some: { declaration: { uploadedById: actor.userId } } } },
        ],
      };
    }
    case 'data-provider':
    case 'operations': {
      const party = partyOf(actor);
      return { OR: [{ ownerPartyCode: party.code }, { reportedBy: { is: { partyId: party.id } } }] };
    }
  }
}

/**
 * Builds the filter that matches the declarations the actor may see: for a supplier its own and
 * its uploads, for a municipality's user those of its system and municipality and its uploads. Data providers and the operations party
 * see no declarations, because a declaration describes the supplier's whole system; they see
 * the deviations they own.
 */
export function declarationScope(actor: Actor): Prisma.DeclarationWhereInput {
  switch (actor.role) {
    case 'administration':
      return {};
    case 'supplier':
      return { OR: [{ supplierId: partyOf(actor).id }, { uploadedById: actor.userId }] };
    case 'municipality': {
      const { system, municipality } = systemOf(actor);
      return {
        OR: [
          { businessSystemId: system.id, cover: { is: { municipality: equalsIgnoringCase(municipality) } } },
          { uploadedById: actor.userId },
        ],
      };
    }
    case 'data-provider':
    case 'operations':
      return NOTHING;
  }
}

/** What decides whether the actor may read a deviation's contact details; select it with CONTACT_FACTS_SELECT. */
export interface DeviationContactFacts {
  supplierCode: string | null;
  ownerPartyCode: string | null;
  declaration: { uploadedById: string | null } | null;
  reportedBy: { id: string; partyId: string | null; businessSystemId: string | null; municipality: string | null } | null;
}

export const CONTACT_FACTS_SELECT = {
  supplierCode: true,
  ownerPartyCode: true,
  declaration: { select: { uploadedById: true } },
  reportedBy: { select: { id: true, partyId: true, businessSystemId: true, municipality: true } },
} as const satisfies Prisma.DeviationSelect;

/**
 * Contact details are personal data: the administration, the party that reported the deviation
 * and the party that owns it may read them. A deviation read from a declaration was reported by
 * the supplier the declaration names and by the user who uploaded it.
 */
export function mayReadDeviationContact(actor: Actor, facts: DeviationContactFacts): boolean {
  if (actor.role === 'administration') return true;
  if (actor.party && facts.ownerPartyCode === actor.party.code) return true;
  if (facts.reportedBy) return isSameReporter(actor, facts.reportedBy);
  if (facts.declaration && facts.declaration.uploadedById === actor.userId) return true;
  return actor.role === 'supplier' && facts.supplierCode === actor.party?.code;
}

/**
 * Builds the filter that matches the deviations whose contact details the actor may read, the
 * rule of mayReadDeviationContact in SQL. A bare `column = value` is NULL on a NULL column, and
 * `NOT` of a NULL drops the row from both sides. So each comparison of a nullable column follows
 * an IS NOT NULL check, and `NOT` of this filter matches exactly the other rows.
 * NOTE: municipality names are compared with ILIKE here and with toLowerCase in
 * mayReadDeviationContact. Both agree on Swedish letters under a C.UTF-8 or Swedish LC_CTYPE.
 */
export function contactScope(actor: Actor): Prisma.DeviationWhereInput {
  if (actor.role === 'administration') return {};

  const sameReporter: Prisma.UserWhereInput[] = [{ id: actor.userId }];
  if (actor.party) {
    sameReporter.push({ AND: [{ partyId: { not: null } }, { partyId: actor.party.id }] });
  } else if (actor.role === 'municipality' && actor.businessSystem && actor.municipality) {
    sameReporter.push({
      AND: [
        { businessSystemId: { not: null } },
        { businessSystemId: actor.businessSystem.id },
        { municipality: { not: null } },
        { municipality: equalsIgnoringCase(actor.municipality) },
      ],
    });
  }

  const declarationReporter: Prisma.DeviationWhereInput[] = [
    { declaration: { is: { AND: [{ uploadedById: { not: null } }, { uploadedById: actor.userId }] } } },
  ];
  if (actor.role === 'supplier' && actor.party) {
    declarationReporter.push({ AND: [{ supplierCode: { not: null } }, { supplierCode: actor.party.code }] });
  }

  const readable: Prisma.DeviationWhereInput[] = [
    { AND: [{ reportedById: { not: null } }, { reportedBy: { is: { OR: sameReporter } } }] },
    { AND: [{ reportedById: null }, { OR: declarationReporter }] },
  ];
  if (actor.party) readable.unshift({ AND: [{ ownerPartyCode: { not: null } }, { ownerPartyCode: actor.party.code }] });
  return { OR: readable };
}

function isSameReporter(actor: Actor, reporter: NonNullable<DeviationContactFacts['reportedBy']>): boolean {
  if (reporter.id === actor.userId) return true;
  if (actor.party) return reporter.partyId === actor.party.id;
  // Users of one business system in one municipality act for the same party.
  return (
    actor.role === 'municipality' &&
    reporter.businessSystemId === actor.businessSystem?.id &&
    reporter.municipality?.toLowerCase() === actor.municipality?.toLowerCase()
  );
}

/**
 * Tells whether the actor may read a declaration's cover contact and its original file, which
 * contains it: the administration, the uploader and the supplier the declaration names may.
 */
export function mayReadDeclarationContact(actor: Actor, declaration: { supplierId: string | null; uploadedById: string | null }): boolean {
  if (actor.role === 'administration') return true;
  if (declaration.uploadedById === actor.userId) return true;
  return actor.role === 'supplier' && declaration.supplierId !== null && declaration.supplierId === actor.party?.id;
}
