import type { CoverFacts, RequirementRow } from './model.ts';

/** A required part of a deviation that a candidate may lack. */
export type MissingField = 'title' | 'reason' | 'material' | 'contact-name' | 'contact-phone' | 'contact-email';

/** A requirement row that is not met or only partly met, written up as a deviation. */
export interface Candidate {
  /** Index of the row in the parsed declaration. */
  rowIndex: number;
  row: RequirementRow & { answer: 'not-met' | 'partially-met' };
  title: string;
  /** Why the requirement is not met: the row's comment. */
  reproduction: string | null;
  /** The situation the declaration states. */
  result: string;
  /** References to screenshots, logs and other material, the declaration itself first. */
  material: string[];
  contact: CoverFacts['contact'];
  missingFields: MissingField[];
}

const TITLE_MAX_LENGTH = 100;

/** Turns every not-met and partly met row into a candidate deviation. */
export function buildCandidates(
  rows: RequirementRow[],
  cover: CoverFacts,
  declarationFileName: string,
): Candidate[] {
  const candidates: Candidate[] = [];
  rows.forEach((row, rowIndex) => {
    if (row.answer !== 'not-met' && row.answer !== 'partially-met') return;
    candidates.push(buildCandidate({ ...row, answer: row.answer }, rowIndex, cover, declarationFileName));
  });
  return candidates;
}

function buildCandidate(
  row: Candidate['row'],
  rowIndex: number,
  cover: CoverFacts,
  declarationFileName: string,
): Candidate {
  const title = buildTitle(row);
  const comment = row.comment === null ? '' : withoutDirectionOverrides(row.comment).trim();
  const reproduction = comment === '' ? null : comment;
  const material = [`declaration:${declarationFileName}`, ...row.attachments];
  const missingFields: MissingField[] = [];
  if (!title) missingFields.push('title');
  if (!reproduction) missingFields.push('reason');
  if (!cover.contact.name) missingFields.push('contact-name');
  if (!cover.contact.phone) missingFields.push('contact-phone');
  if (!cover.contact.email) missingFields.push('contact-email');

  return {
    rowIndex,
    row,
    title,
    reproduction,
    result: describeResult(row),
    material,
    contact: cover.contact,
    missingFields,
  };
}

/**
 * The explicit embeddings, overrides and isolates of Unicode's bidirectional algorithm
 * (U+202A to U+202E, U+2066 to U+2069). An override makes the text after it display in reverse,
 * so "\u202Eevil" shows as "live": a title or reason could show other words than it holds.
 * Right-to-left text displays correctly without them.
 */
const DIRECTION_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Removes the bidirectional embedding, override and isolate controls from a text. */
export function withoutDirectionOverrides(text: string): string {
  return text.replace(DIRECTION_CONTROLS, '');
}

/** Builds a short title from the requirement id and the requirement's first sentence, cut at a word. */
export function buildTitle(row: Pick<RequirementRow, 'requirementId' | 'text'>): string {
  const text = withoutDirectionOverrides(row.text).replace(/\s+/g, ' ').trim();
  const firstSentence = text.match(/^.+?[.!?](?=\s|$)/)?.[0] ?? text;
  const summary = shorten(firstSentence, TITLE_MAX_LENGTH);
  const id = row.requirementId === null ? null : withoutDirectionOverrides(row.requirementId);
  if (!summary) return id ? `Krav ${id}` : '';
  return id ? `${id}: ${summary}` : summary;
}

function shorten(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut).replace(/[,;:]$/, '')}…`;
}

function describeResult(row: Candidate['row']): string {
  const stated = row.answerRaw ? ` (svar: ${row.answerRaw.trim()})` : '';
  return row.answer === 'not-met'
    ? `Kravet uppfylls inte enligt självdeklarationen${stated}.`
    : `Kravet uppfylls delvis enligt självdeklarationen${stated}.`;
}
