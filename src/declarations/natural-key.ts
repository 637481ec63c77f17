/**
 * The natural key that makes one deviation of the same requirement reported by several
 * declarations, and the identity of a row within one declaration that re-processing matches on.
 */
import type { RequirementRow } from '../ingest/model.ts';

export interface KeyParts {
  supplierCode: string | null;
  businessSystemId: string | null;
  /** The municipality the declaration names, or null when it names none. */
  municipality: string | null;
  requirementId: string | null;
}

/** Printable ASCII words with single spaces between them, which collapse leaves as they are. */
const COLLAPSED_ASCII = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

// Format characters such as right-to-left marks are invisible, so `U-2` with one is still `U-2`.
// Most ids are plain ASCII, and the test spares them three passes over the text.
const collapse = (text: string) =>
  COLLAPSED_ASCII.test(text) ? text : text.normalize('NFC').replace(/\p{Cf}/gu, '').replace(/\s+/g, ' ').trim();

/**
 * The maximum length of a key in UTF-8 bytes. PostgreSQL's unique index takes at most 2,704 bytes
 * per entry, and a requirement id of hundreds of characters is text in the wrong column, not an id.
 */
export const MAX_NATURAL_KEY_BYTES = 1_000;

/** Normalises a requirement id so that `k-1`, `K-1 ` and `K-1` give the same key. */
export function normaliseRequirementId(requirementId: string | null): string | null {
  const normalised = requirementId === null ? '' : collapse(requirementId).toUpperCase();
  return normalised === '' ? null : normalised;
}

/**
 * Builds the key: a JSON array of the supplier code, the business system id, the municipality in
 * lower case (or null) and the normalised requirement id. Returns null without a requirement id,
 * a supplier code or a business system, because free text is never part of the key, and for a
 * key longer than MAX_NATURAL_KEY_BYTES.
 */
export function naturalKeyFor(parts: KeyParts): string | null {
  const requirementId = normaliseRequirementId(parts.requirementId);
  if (!requirementId || !parts.supplierCode || !parts.businessSystemId) return null;
  const municipality = parts.municipality ? collapse(parts.municipality).toLowerCase() || null : null;
  const key = JSON.stringify([parts.supplierCode, parts.businessSystemId, municipality, requirementId]);
  return Buffer.byteLength(key) <= MAX_NATURAL_KEY_BYTES ? key : null;
}

/**
 * Names each row within its declaration: the normalised requirement id, or the row's text when
 * it has none, followed by `#n` for the n-th row with the same name. Re-processing pairs the rows
 * of the old and the new parse by this name.
 */
export function rowNames(rows: readonly Pick<RequirementRow, 'requirementId' | 'text'>[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const base = normaliseRequirementId(row.requirementId) ?? `text:${collapse(row.text).toLowerCase()}`;
    const ordinal = (seen.get(base) ?? 0) + 1;
    seen.set(base, ordinal);
    return `${base}#${ordinal}`;
  });
}

/** Returns the date an occurrence is seen: the declaration's own date when its cover gives one, else the time it was received. */
export function declaredAt(coverDate: string | null | undefined, receivedAt: Date): Date {
  if (coverDate && /^\d{4}-\d{2}-\d{2}$/.test(coverDate)) {
    const date = new Date(`${coverDate}T00:00:00.000Z`);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return receivedAt;
}
