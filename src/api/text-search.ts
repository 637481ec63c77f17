/**
 * Free-text search (`q`) of the deviation list and exports. It matches each deviation's title,
 * reproduction and requirement id as the caller sees them. Where the caller may read the
 * deviation's contact details that is the stored text. Elsewhere it is the text after
 * maskContactDetails, so part of a hidden e-mail address or phone number does not match it.
 *
 * Design: the rows whose contact details the caller may read are matched in SQL, with ILIKE on the
 * stored text. The other rows are read in batches, masked with the same function that masks them
 * in responses, and checked here. The search becomes one SQL condition: ILIKE on the readable
 * rows, OR the ids whose masked text matched. The list, its total, its pages and exports all use
 * that one condition, so they agree with each other. A PostgreSQL regular expression equivalent to
 * the masking was not used: the masks rely on JavaScript's Unicode classes, look-behind and a
 * callback that keeps dates, and any difference between two copies of the rule would leak. A
 * stored masked column was not used either, because every write path of titles and reasons
 * would have to keep it current. The administration reads every contact, so its search stays a
 * plain ILIKE with no rows read into JavaScript.
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { Actor } from '../workflow/actor.ts';
import { maskContactDetails, MASKED_CONTACT } from './contact-text.ts';
import { HttpError } from './errors.ts';
import { contactScope } from './scope.ts';
import { containsIgnoringCase } from './text-match.ts';

/**
 * The maximum number of deviations with hidden contact details that one search checks here. It
 * bounds the rows read into memory and the ids sent back in the final query.
 */
export const MAX_MASKED_SEARCH_ROWS = 10_000;

/** Rows read per query while checking masked text. */
const BATCH_SIZE = 1_000;

/**
 * Builds the condition of free-text search for the actor. `narrowing` contains the scope and the
 * other filters of the same request, which limit the rows checked here. Raises 400
 * `search-too-broad` when more than MAX_MASKED_SEARCH_ROWS deviations with hidden contact details
 * pass those filters.
 */
export async function textSearchCondition(
  prisma: PrismaClient,
  actor: Actor,
  text: string,
  narrowing: Prisma.DeviationWhereInput[],
): Promise<Prisma.DeviationWhereInput> {
  // Stored texts are in Unicode NFC, as declarations are read, so a decomposed 'å' in a query matches too.
  const normalised = text.normalize('NFC');
  const contains = containsIgnoringCase(normalised);
  const storedTextMatches: Prisma.DeviationWhereInput = { OR: [{ title: contains }, { reproduction: contains }, { requirementId: contains }] };

  if (actor.role === 'administration') return storedTextMatches;

  const readable = contactScope(actor);
  const maskedMatches = await findMaskedMatches(prisma, normalised, [...narrowing, { NOT: readable }], storedTextMatches);
  const conditions: Prisma.DeviationWhereInput[] = [{ AND: [readable, storedTextMatches] }];
  if (maskedMatches.length > 0) conditions.push({ id: { in: maskedMatches } });
  return { OR: conditions };
}

/** Returns the ids of the rows under `hidden` whose masked title, reproduction or requirement id contains `text`. */
async function findMaskedMatches(
  prisma: PrismaClient,
  text: string,
  hidden: Prisma.DeviationWhereInput[],
  storedTextMatches: Prisma.DeviationWhereInput,
): Promise<string[]> {
  // The limit counts every hidden row the filters leave, whatever their text, so that the error
  // does not tell whether the stored text contains the search.
  const hiddenRows = await prisma.deviation.count({ where: { AND: hidden } });
  if (hiddenRows > MAX_MASKED_SEARCH_ROWS) {
    // One declaration or search text alone can leave more than the limit, so the advice names
    // filters that can narrow any set of rows.
    throw new HttpError(
      400,
      'search-too-broad',
      `Free-text search checks at most ${MAX_MASKED_SEARCH_ROWS.toLocaleString('en')} deviations whose contact details are hidden from you, ` +
        `and your other filters leave ${hiddenRows.toLocaleString('en')}. Narrow it with filters such as status, system, municipality or overdue. ` +
        'The administration searches without this limit.',
    );
  }

  // A search within or across MASKED_CONTACT can match masked text that the stored text lacks,
  // so then every hidden row is checked. Otherwise the masked text contains the search only
  // where the stored text does, and SQL narrows the rows first.
  const lowerCaseText = text.toLowerCase();
  const candidates = mayMatchMask(lowerCaseText) ? hidden : [...hidden, storedTextMatches];
  const matches: string[] = [];
  let cursor: string | undefined;
  // Rows added after the count are read up to the same limit. Rows beyond it are not checked.
  for (let read = 0; read < MAX_MASKED_SEARCH_ROWS; read += BATCH_SIZE) {
    const batch = await prisma.deviation.findMany({
      where: { AND: candidates },
      select: { id: true, title: true, reproduction: true, requirementId: true },
      orderBy: { id: 'asc' },
      take: BATCH_SIZE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const row of batch) {
      const texts = [row.title, row.reproduction, row.requirementId];
      if (texts.some((stored) => maskedTextContains(stored, lowerCaseText))) matches.push(row.id);
    }
    if (batch.length < BATCH_SIZE) break;
    cursor = batch[batch.length - 1]!.id;
  }
  return matches;
}

const LOWER_MASK = MASKED_CONTACT.toLowerCase();

/**
 * Tells whether a lower-case search can overlap MASKED_CONTACT in a masked text. A search that
 * starts inside the mask contains its ']', and one that ends inside it contains its '['. Any
 * other overlapping search lies inside the mask.
 */
function mayMatchMask(lowerCaseText: string): boolean {
  return lowerCaseText.includes('[') || lowerCaseText.includes(']') || LOWER_MASK.includes(lowerCaseText);
}

/**
 * Compares with toLowerCase, where SQL uses ILIKE. The two can differ on a few letters outside
 * Swedish, which changes only whether a hidden row is found, never what it reveals.
 */
function maskedTextContains(stored: string | null, lowerCaseText: string): boolean {
  return stored !== null && maskContactDetails(stored).toLowerCase().includes(lowerCaseText);
}
