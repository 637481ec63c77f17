/**
 * The check of the `party` filter that the deviation list, exports and the follow-up report
 * share, as `avvik reprocess --supplier` checks its code.
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { isAdministration, type Actor } from '../workflow/actor.ts';
import { HttpError } from './errors.ts';
import { equalsIgnoringCase } from './text-match.ts';

/** A supplier's code as supplierCodeFor builds it, in any letter case. */
const SUPPLIER_CODE = /^(?:ORG|SUP)-/i;

/**
 * Raises 400 `unknown-party` when no stored party has the code, so that a misspelt code such as
 * fk is not taken for a party without deviations. Codes are compared exactly, as in owner
 * assignment, and the message names the code that differs only in case, if one does.
 *
 * Only the administration, and a caller without `actor`, learns whether a supplier is stored.
 * A sole trader's code contains a personal identity number, so for any other caller a supplier's
 * code is not looked up: it passes, and the list holds only what the caller may see of it. Its
 * own code is still named when the caller wrote it in another letter case.
 */
export async function checkPartyFilter(prisma: PrismaClient, code: string, actor?: Actor): Promise<void> {
  const hidesSuppliers = actor !== undefined && !isAdministration(actor);
  const known: Prisma.PartyWhereInput = hidesSuppliers ? { kind: { not: 'supplier' } } : {};
  const party = await prisma.party.findFirst({ where: { code, ...known }, select: { code: true } });
  if (party) return;
  if (hidesSuppliers && SUPPLIER_CODE.test(code)) {
    const own = actor.party?.code;
    if (own === undefined || own === code || own.toLowerCase() !== code.toLowerCase()) return;
  }

  const [sameLetters, reference] = await Promise.all([
    hidesSuppliers && actor.party && actor.party.code.toLowerCase() === code.toLowerCase()
      ? Promise.resolve(actor.party.code)
      : storedCodeInOtherCase(prisma, code, known),
    prisma.party.findMany({ where: { kind: { not: 'supplier' } }, select: { code: true }, orderBy: { code: 'asc' } }),
  ]);
  const hint = sameLetters
    ? otherCaseHint(sameLetters)
    : `The reference parties have the codes ${listInWords(reference.map((known) => known.code))}. ` +
      "A supplier's code is ORG- and the digits of its organisation number, such as ORG-5560000001, " +
      'or SUP- and its name when its declaration gives no organisation number.';
  throw new HttpError(400, 'unknown-party', `No party has the code ${code}. ${hint}`, {
    fields: [{ field: 'party', message: 'is not a known party code' }],
  });
}

/**
 * Returns the stored code, of a party that `where` selects, that differs from `code` only in
 * letter case, or null. Party codes are compared exactly everywhere, so this only serves a hint.
 */
export async function storedCodeInOtherCase(prisma: PrismaClient, code: string, where: Prisma.PartyWhereInput = {}): Promise<string | null> {
  const party = await prisma.party.findFirst({ where: { code: equalsIgnoringCase(code), ...where }, select: { code: true } });
  return party?.code ?? null;
}

/** Builds the sentence that names the stored code to give instead of one in another letter case. */
export function otherCaseHint(storedCode: string): string {
  return `Party codes are case-sensitive, so give ${storedCode} instead.`;
}

function listInWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
