/**
 * The check of the `party` filter that the deviation list, exports and the follow-up report
 * share, as `avvik reprocess --supplier` checks its code.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import { HttpError } from './errors.ts';
import { equalsIgnoringCase } from './text-match.ts';

/**
 * Raises 400 `unknown-party` when no stored party has the code, so that a misspelt code such as
 * fk is not taken for a party without deviations. Codes are compared exactly, as in owner
 * assignment, and the message names the code that differs only in case, if one does.
 */
export async function checkPartyFilter(prisma: PrismaClient, code: string): Promise<void> {
  const party = await prisma.party.findUnique({ where: { code }, select: { code: true } });
  if (party) return;

  const [sameLetters, reference] = await Promise.all([
    prisma.party.findFirst({ where: { code: equalsIgnoringCase(code) }, select: { code: true } }),
    prisma.party.findMany({ where: { kind: { not: 'supplier' } }, select: { code: true }, orderBy: { code: 'asc' } }),
  ]);
  const hint = sameLetters
    ? `Party codes are case-sensitive, so give ${sameLetters.code} instead.`
    : `The reference parties have the codes ${listInWords(reference.map((known) => known.code))}. ` +
      "A supplier's code is ORG- and the digits of its organisation number, such as ORG-5560000001, " +
      'or SUP- and its name when its declaration gives no organisation number.';
  throw new HttpError(400, 'unknown-party', `No party has the code ${code}. ${hint}`, {
    fields: [{ field: 'party', message: 'is not a known party code' }],
  });
}

function listInWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
