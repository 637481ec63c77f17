/**
 * Cover facts from key-value blocks: a label in one cell and its value in the next non-empty
 * cell to the right, or 'Label: value' in one cell.
 */

import { emptyCover, type CoverFacts, type GridRow } from './model.ts';
import { findImplausibleCoverDateReason, parseDateText } from './dates.ts';
import { describeLocation, findTokenRun, labelTokens, truncate } from './text.ts';
import type { WarningLog } from './warnings.ts';

export type CoverField =
  | 'supplier'
  | 'organisationNumber'
  | 'system'
  | 'version'
  | 'municipality'
  | 'date'
  | 'contactName'
  | 'phone'
  | 'email';

/** Label phrases per field, as normalizeLabel writes them. */
const COVER_LABELS: Record<CoverField, readonly string[]> = {
  supplier: [
    'leverantör',
    'systemleverantör',
    'leverantörsnamn',
    'supplier',
    'vendor',
    'company',
    'företag',
    'företagsnamn',
  ],
  organisationNumber: [
    'organisationsnummer',
    'org nr',
    'orgnr',
    'org nummer',
    'organisation number',
    'organization number',
    'org no',
  ],
  system: [
    'verksamhetssystem',
    'system',
    'systemnamn',
    'produkt',
    'produktnamn',
    'product',
    'business system',
    'system name',
  ],
  version: ['version', 'systemversion', 'system version', 'versionsnummer', 'produktversion', 'product version'],
  municipality: ['kommun', 'kommunnamn', 'municipality'],
  date: ['datum', 'date', 'ifylld', 'ifylld datum'],
  contactName: ['kontaktperson', 'kontakt', 'namn', 'contact person', 'contact name', 'contact'],
  phone: ['telefon', 'telefonnummer', 'tel', 'phone', 'phone number', 'telephone', 'mobil', 'mobilnummer', 'mobile'],
  email: ['e post', 'epost', 'e postadress', 'epostadress', 'e mail', 'email', 'mejl', 'email address'],
};

/** Phrases that name a field only when they are the whole label: 'Ifylld av' is not a date. */
const EXACT_ONLY = new Set(['namn', 'ifylld', 'system', 'kontakt', 'contact']);

/**
 * Words that may surround a label phrase without changing what it names, as in
 * 'Leverantörens kontaktperson', 'Vendor Name' or 'Datum för ifyllande'.
 */
const FILLER_WORDS = new Set([
  'name', 'namn', 'nummer', 'number', 'nr', 'no', 'adress', 'address', 'vendor', 'supplier', 'leverantörens',
  'systemleverantörens', 'företagets', 'company', 'contact', 'kontakt', 'för', 'av', 'of', 'the', 'ifyllande',
  'prepared', 'completed', 'signed', 'och', 'and', 'systemets', 'kommunens', 'primary', 'your', 'er', 'ert',
]);

/** Fields that qualify another named in the same label, so they win: 'Vendor Contact Email'. */
const QUALIFYING_FIELDS: readonly CoverField[] = ['email', 'phone', 'organisationNumber', 'date', 'contactName'];

const MAX_LABEL_TOKENS = 6;
const MAX_LABEL_LENGTH = 60;

/** A stretch of rows to read cover facts from. With `exactLabels`, only whole labels count. */
export interface CoverRegion {
  rows: readonly GridRow[];
  /** Zero-based index of the first column to read, because columns to its left belong to a table. */
  firstColumn: number;
  exactLabels: boolean;
}

/**
 * Reads cover facts from the regions in order. The first value found for a field wins. A date
 * that cannot be the declaration's date is left out with an 'implausible-cover-date' warning,
 * and a value that does not fit its field with an 'unreadable-cover-value' warning.
 */
export function readCoverFacts(regions: readonly CoverRegion[], warnings?: WarningLog): CoverFacts {
  const cover = emptyCover();
  for (const region of regions) {
    for (const row of region.rows) readCoverRow(row, region, cover, warnings);
  }
  return cover;
}

function readCoverRow(row: GridRow, region: CoverRegion, cover: CoverFacts, warnings: WarningLog | undefined): void {
  const cells = row.cells.slice(region.firstColumn);
  const store = (fields: CoverField[], value: string, column: number) => {
    // One spelling per name: 'å' written as 'a' and a combining ring is the same supplier, system
    // or municipality as 'å' written as one character.
    const ignored = storeFacts(fields, value.normalize('NFC'), cover);
    if (ignored === null) return;
    const cell = describeLocation(row.source, region.firstColumn + column);
    // Contact details are personal data, and a parse report does not quote them.
    const quoted = CONTACT_FIELDS.has(ignored.field) ? '' : ` '${truncate(value, 60)}'`;
    warnings?.add(ignored.kind, `The ${FIELD_NAMES[ignored.field]}${quoted} in ${cell} was ignored because ${ignored.reason}.`);
  };

  for (const pair of findLabelledValues(cells, region.exactLabels)) store(pair.fields, pair.value, pair.column);
}

/** A cover label and its value in one row. */
export interface LabelledValue {
  fields: CoverField[];
  value: string;
  /** Index in the cells of the value's cell, which is also the label's for 'Label: value'. */
  column: number;
}

/** Lists the label and value pairs of one row's cells from left to right. */
export function findLabelledValues(cells: readonly string[], exactLabels: boolean): LabelledValue[] {
  const pairs: LabelledValue[] = [];
  for (let column = 0; column < cells.length; column++) {
    const text = cells[column] ?? '';
    if (text === '') continue;
    const inline = splitInlineLabel(text, exactLabels);
    if (inline) {
      pairs.push({ ...inline, column });
      continue;
    }
    const fields = matchCoverLabel(text, exactLabels);
    if (!fields) continue;
    const valueColumn = findValueColumn(cells, column, exactLabels);
    if (valueColumn < 0) continue;
    pairs.push({ fields, value: cells[valueColumn]!, column: valueColumn });
    column = valueColumn;
  }
  return pairs;
}

/** Finds the next non-empty cell right of a label, skipping merged copies of the label. */
function findValueColumn(cells: readonly string[], labelColumn: number, exactLabels: boolean): number {
  const label = cells[labelColumn];
  for (let column = labelColumn + 1; column < cells.length; column++) {
    const text = cells[column] ?? '';
    if (text === '' || text === label) continue;
    return matchCoverLabel(text, exactLabels) ? -1 : column;
  }
  return -1;
}

function splitInlineLabel(text: string, exactLabels: boolean): { fields: CoverField[]; value: string } | null {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon > MAX_LABEL_LENGTH) return null;
  const value = text.slice(colon + 1).trim();
  if (value === '') return null;
  const fields = matchCoverLabel(text.slice(0, colon), exactLabels);
  return fields ? { fields, value } : null;
}

/**
 * Returns the fields a label names, or null. A label names two fields only in the combined
 * 'Verksamhetssystem och version' form. Otherwise a qualifying field wins, then the earliest.
 */
export function matchCoverLabel(label: string, exactLabels: boolean): CoverField[] | null {
  if (label.length > MAX_LABEL_LENGTH) return null;
  const tokens = labelTokens(label);
  if (tokens.length === 0 || tokens.length > MAX_LABEL_TOKENS) return null;

  const runs = findLabelRuns(tokens, exactLabels);
  if (runs.length === 0) return null;
  const covered = new Set(runs.flatMap((run) => range(run.start, run.end)));
  if (tokens.some((token, index) => !covered.has(index) && !FILLER_WORDS.has(token))) return null;

  const fields = new Set(runs.map((run) => run.field));
  if (fields.has('system') && fields.has('version')) return ['system', 'version'];
  const qualifying = QUALIFYING_FIELDS.find((field) => fields.has(field));
  if (qualifying) return [qualifying];
  return [runs.sort((a, b) => a.start - b.start)[0]!.field];
}

interface LabelRun {
  field: CoverField;
  start: number;
  end: number;
}

/** Finds every label phrase in the tokens, dropping phrases inside a longer one. */
function findLabelRuns(tokens: string[], exactLabels: boolean): LabelRun[] {
  const joined = tokens.join(' ');
  const runs: LabelRun[] = [];
  for (const [field, phrases] of Object.entries(COVER_LABELS) as [CoverField, readonly string[]][]) {
    for (const phrase of phrases) {
      const phraseTokens = phrase.split(' ');
      if (joined === phrase) {
        runs.push({ field, start: 0, end: tokens.length });
        continue;
      }
      if (exactLabels || EXACT_ONLY.has(phrase)) continue;
      const start = findTokenRun(tokens, phraseTokens);
      if (start >= 0) runs.push({ field, start, end: start + phraseTokens.length });
    }
  }
  return runs.filter(
    (run) => !runs.some((other) => other !== run && other.start <= run.start && other.end >= run.end && other.end - other.start > run.end - run.start),
  );
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, index) => start + index);
}

const MAX_NAME_WORDS = 5;
/** Maximum length of a supplier, system or municipality name that a cover value may give. */
export const MAX_NAME_LENGTH = 120;

/** A value under a cover label that was left out, and why. */
interface IgnoredValue {
  kind: 'implausible-cover-date' | 'unreadable-cover-value';
  field: CoverField;
  reason: string;
}

/** The name of each field in a warning. */
const FIELD_NAMES: Record<CoverField, string> = {
  supplier: "cover's supplier",
  organisationNumber: "cover's organisation number",
  system: "cover's business system",
  version: "cover's version",
  municipality: "cover's municipality",
  date: 'cover date',
  contactName: "cover's contact person",
  phone: "cover's contact phone number",
  email: "cover's contact e-mail address",
};

const CONTACT_FIELDS = new Set<CoverField>(['contactName', 'phone', 'email']);

/** The reason a value does not fit each field, for the warning. */
const MISFIT_REASONS: Record<Exclude<CoverField, 'date'>, string> = {
  supplier: `it is longer than ${MAX_NAME_LENGTH} characters or spans several lines`,
  organisationNumber: 'it holds no organisation number such as 556677-8899',
  system: `it is longer than ${MAX_NAME_LENGTH} characters or spans several lines`,
  version: 'it is longer than 40 characters or spans several lines',
  municipality: `it is longer than ${MAX_NAME_LENGTH} characters or spans several lines`,
  contactName: 'it does not look like a name of at most five words without digits',
  phone: 'it does not look like a phone number',
  email: 'it holds no e-mail address',
};

/**
 * Stores the facts of one labelled value, and returns what was left out when the value does not
 * fit a field that is still empty. A field that already has a value keeps it silently, because
 * the first value found wins.
 */
function storeFacts(fields: CoverField[], rawValue: string, cover: CoverFacts): IgnoredValue | null {
  const value = rawValue.trim();
  if (!/[\p{L}\p{N}]/u.test(value)) return null;
  if (fields.length === 2) {
    storeSystemAndVersion(value, cover);
    return null;
  }
  const field = fields[0]!;
  if (field === 'date') return storeDate(value, cover);
  const cleaned = cleanValue(field, value);
  if (cleaned !== null) {
    setIfEmpty(cover, field, cleaned);
    return null;
  }
  return isEmpty(cover, field) ? { kind: 'unreadable-cover-value', field, reason: MISFIT_REASONS[field] } : null;
}

/** Stores a date unless the cover has one, and returns what was left out, or null. */
function storeDate(value: string, cover: CoverFacts): IgnoredValue | null {
  // The first date found wins, so a later one is neither read nor reported.
  if (cover.date !== null) return null;
  const date = parseDateText(value);
  if (date === null) {
    // Text without digits next to a date label, such as a table's column title, is no date at all.
    if (!/\d/.test(value)) return null;
    return { kind: 'unreadable-cover-value', field: 'date', reason: 'it is not a date in a form Avvik reads, such as 2026-03-15, 15.03.2026 or 15 mars 2026' };
  }
  const reason = findImplausibleCoverDateReason(date);
  if (reason === null) cover.date = date;
  return reason === null ? null : { kind: 'implausible-cover-date', field: 'date', reason };
}

function isEmpty(cover: CoverFacts, field: Exclude<CoverField, 'date'>): boolean {
  switch (field) {
    case 'contactName':
      return cover.contact.name === null;
    case 'phone':
      return cover.contact.phone === null;
    case 'email':
      return cover.contact.email === null;
    default:
      return cover[field] === null;
  }
}

/** Splits 'Procapita 5.2' into system 'Procapita' and version '5.2'. */
function storeSystemAndVersion(value: string, cover: CoverFacts): void {
  const match = value.match(/^(.*?)[\s,]*(?:\b(?:version|ver|v)\.?\s*)?(\d+(?:[.\-]\w+)*)$/iu);
  if (!match || match[1]!.trim() === '') {
    setIfEmpty(cover, 'system', cleanValue('system', value));
    return;
  }
  setIfEmpty(cover, 'system', cleanValue('system', match[1]!.trim()));
  setIfEmpty(cover, 'version', match[2]!);
}

const EMAIL_PATTERN = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/u;
/**
 * A Swedish organisation number, NNNNNN-NNNN, also in its 12-digit forms: with the prefix 16, or,
 * for a sole trader's personal identity number, with the century 19 or 20. Each is stored in the
 * 10-digit form, so that all of them give one supplier code.
 */
const ORGANISATION_NUMBER_PATTERN = /\b(?:16|19|20)?(\d{6})[-–]?(\d{4})\b/u;

/** Returns the value in the form the field stores, or null when it does not fit the field. */
function cleanValue(field: CoverField, value: string): string | null {
  switch (field) {
    case 'email':
      return value.match(EMAIL_PATTERN)?.[0] ?? null;
    case 'phone':
      return (value.match(/\d/g)?.length ?? 0) >= 6 && value.length <= 40 ? value : null;
    case 'organisationNumber': {
      const match = value.match(ORGANISATION_NUMBER_PATTERN);
      if (match) return `${match[1]}-${match[2]}`;
      return (value.match(/\d/g)?.length ?? 0) >= 6 && value.length <= 30 ? value : null;
    }
    case 'contactName':
      return isPersonName(value) ? value : null;
    case 'version':
      return value.length <= 40 && !value.includes('\n') ? value : null;
    default:
      return value.length <= MAX_NAME_LENGTH && !value.includes('\n') ? value : null;
  }
}

function isPersonName(value: string): boolean {
  return !/\d/.test(value) && value.split(/\s+/).length <= MAX_NAME_WORDS && !value.includes('\n');
}

function setIfEmpty(cover: CoverFacts, field: CoverField, value: string | null): void {
  if (value === null || value === '') return;
  switch (field) {
    case 'contactName':
      cover.contact.name ??= value;
      return;
    case 'phone':
      cover.contact.phone ??= value;
      return;
    case 'email':
      cover.contact.email ??= value;
      return;
    default:
      cover[field] ??= value;
  }
}
