import { createHash } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { declaredAt, naturalKeyFor, normaliseRequirementId } from '../declarations/natural-key.ts';
import type { Candidate } from '../ingest/candidates.ts';
import type { Answer, CoverFacts, ParsedDeclaration, ParseReport, RequirementRow } from '../ingest/model.ts';
import type { Proposal } from '../rules/model.ts';
import { toDbAnswer } from './enums.ts';
import { applyUpdates } from './sync-apply.ts';
import { countPlannedWrites, planDeviations, rowsEqual, stableJson, type DeclarationChanges } from './sync-plan.ts';
import { emptySyncState, loadSyncState } from './sync-state.ts';
import { isIntegrityViolation } from './errors.ts';
import { preparedStatement } from './prepared.ts';
import { sqlOf, type SqlSession } from './sql.ts';
import { randomUuids } from './uuids.ts';
import {
  findOrCreateSupplier,
  lockBusinessSystem,
  writeFirstProcessing,
  type DeclarationWrite,
  type RecordList,
  type FirstWrite,
  readStoredDeclaration,
  writeDeclarationRecords,
  type CoverRecord,
  type RowRecord,
  type StoredDeclaration,
  type SupplierIds,
} from './write-declaration.ts';

export interface ProcessedDeclaration {
  parsed: ParsedDeclaration;
  candidates: { candidate: Candidate; proposal: Proposal }[];
  supplierCode: string | null;
  parserVersion: string;
  ruleSetVersion: string;
}

export type AnswerCounts = Record<
  'total' | 'met' | 'notMet' | 'partiallyMet' | 'notApplicable' | 'unanswered',
  number
>;

const COUNT_KEYS: Record<Answer, keyof AnswerCounts> = {
  met: 'met',
  'not-met': 'notMet',
  'partially-met': 'partiallyMet',
  'not-applicable': 'notApplicable',
  unanswered: 'unanswered',
};

export function countAnswers(rows: RequirementRow[]): AnswerCounts {
  const counts: AnswerCounts = { total: rows.length, met: 0, notMet: 0, partiallyMet: 0, notApplicable: 0, unanswered: 0 };
  for (const row of rows) counts[COUNT_KEYS[row.answer]] += 1;
  return counts;
}

/**
 * Derives a supplier's party code: `ORG-` and its organisation number's digits when the cover
 * gives one, else `SUP-` and its name in capitals. A name without Latin letters or digits, such
 * as one in Cyrillic, gets `SUP-U-` and the first 12 hex digits of the SHA-256 of its
 * normalised form, so that it still has a stable code. Returns null when the cover names no
 * supplier.
 */
export function supplierCodeFor(cover: CoverFacts): string | null {
  const digits = cover.organisationNumber?.replace(/\D/g, '') ?? '';
  if (digits.length >= 10) return `ORG-${digits}`;
  if (!cover.supplier) return null;
  const slug = cover.supplier
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  if (slug) return `SUP-${slug}`;
  const name = cover.supplier.normalize('NFKC').toLocaleUpperCase('sv').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return name ? `SUP-U-${createHash('sha256').update(name).digest('hex').slice(0, 12).toUpperCase()}` : null;
}

/** The changes that storing a processed declaration made, or would make in a dry run. */
export interface StoreOutcome {
  /** False when the stored state already matched the processing, so nothing was (or would be) written. */
  changed: boolean;
  rowsReplaced: boolean;
  coverChanged: boolean;
  declarationChanged: boolean;
  changes: DeclarationChanges;
}

/**
 * Writes a parsed declaration's cover, rows, deviations, occurrences and their history events,
 * and marks it parsed, all in one transaction: a crash leaves either everything or nothing.
 * Returns false without writing when another run already finished the declaration.
 *
 * With `receivedAt`, which the worker reads when it loads the file, a first processing is tried
 * first without reading the stored state (write-declaration.ts). It is planned against an empty
 * state and written only if the state is still empty, which saves a typical declaration the reads
 * and round trips of the transaction below. Anything else, including a concurrent write that the statement collides with, takes
 * the transaction.
 */
export async function storeProcessedDeclaration(
  prisma: PrismaClient,
  declarationId: string,
  processed: ProcessedDeclaration,
  receivedAt?: Date,
): Promise<boolean> {
  if (receivedAt) {
    const first = await tryFirstProcessing(prisma, declarationId, processed, receivedAt);
    if (first !== 'not-first') return first === 'written';
  }
  return sqlOf(prisma).transaction(async (session) => {
    const { ids, stored } = await lockForStore(session, declarationId, processed);
    if (stored.status === 'parsed') return false;
    await writeDeclaration(session, declarationId, processed, stored, ids);
    return true;
  });
}

/**
 * Finds or creates the supplier and system, takes the system's lock and then the declaration's
 * row lock, and reads the stored state. The write without reading (writeFirstProcessing) takes the
 * two locks in the same order, so that two stores of one declaration, as when a stalled job is
 * taken over, cannot deadlock.
 */
async function lockForStore(session: SqlSession, declarationId: string, processed: ProcessedDeclaration) {
  const ids = await upsertSupplierAndSystem(session, processed);
  if (ids.businessSystemId) await lockBusinessSystem(session, ids.businessSystemId);
  const stored = await readStoredDeclaration(session, declarationId, true);
  return { ids, stored };
}

async function tryFirstProcessing(prisma: PrismaClient, declarationId: string, processed: ProcessedDeclaration, receivedAt: Date): Promise<FirstWrite> {
  const sql = sqlOf(prisma);
  const cacheKey = supplierCacheKey(processed);
  const { suppliers, systemsWithDeclarations } = clientCache(prisma);
  let ids = cacheKey === null ? { supplierId: null, businessSystemId: null } : suppliers.get(cacheKey);
  if (!ids) {
    ids = await upsertSupplierAndSystem(sql, processed);
    suppliers.set(cacheKey!, ids);
  }
  const system = ids.businessSystemId;
  // A system with a stored declaration never passes the guard, so the attempt would be wasted work.
  if (system !== null && systemsWithDeclarations.has(system)) return 'not-first';
  if (system !== null) systemsWithDeclarations.add(system);
  const empty: StoredDeclaration = {
    status: 'queued',
    receivedAt,
    parserVersion: null,
    ruleSetVersion: null,
    counts: null,
    parseReport: null,
    supplierId: null,
    businessSystemId: null,
    cover: null,
    hasRecords: false,
  };
  const prepared = await prepare(sql, declarationId, processed, empty, ids, 'assume-empty');
  try {
    return await writeFirstProcessing(sql, declarationId, recordsOf(processed, prepared), prepared.keys, ids.businessSystemId);
  } catch (error) {
    if (!isIntegrityViolation(error)) throw error;
    // A supplier removed since it was cached, or a concurrent declaration with the same keys.
    if (cacheKey !== null) suppliers.delete(cacheKey);
    return 'not-first';
  }
}

/**
 * Facts a worker has learnt per client. Supplier and system ids let it find each supplier once.
 * The business systems it has stored or tried to store a declaration of send their later
 * declarations straight to the reading transaction. Avvik deletes neither suppliers nor
 * declarations, so both stay true.
 */
interface ClientCache {
  suppliers: Map<string, SupplierIds>;
  systemsWithDeclarations: Set<string>;
}

const clientCaches = new WeakMap<object, ClientCache>();

function clientCache(prisma: PrismaClient): ClientCache {
  let cache = clientCaches.get(prisma);
  if (!cache) clientCaches.set(prisma, (cache = { suppliers: new Map(), systemsWithDeclarations: new Set() }));
  return cache;
}

function supplierCacheKey(processed: ProcessedDeclaration): string | null {
  const { cover } = processed.parsed;
  return processed.supplierCode === null
    ? null
    : JSON.stringify([processed.supplierCode, cover.supplier, cover.organisationNumber, cover.system]);
}

/**
 * Stores a new processing of a declaration of any status in one transaction: replaces its rows
 * when they changed, re-points deviations and occurrences, and changes only what the system set.
 */
export async function storeReprocessedDeclaration(
  prisma: PrismaClient,
  declarationId: string,
  processed: ProcessedDeclaration,
): Promise<StoreOutcome> {
  return sqlOf(prisma).transaction(async (session) => {
    const { ids, stored } = await lockForStore(session, declarationId, processed);
    return writeDeclaration(session, declarationId, processed, stored, ids);
  });
}

/** Plans a processing of a declaration exactly as storeReprocessedDeclaration would, without writing. */
export async function previewProcessedDeclaration(
  prisma: PrismaClient,
  declarationId: string,
  processed: ProcessedDeclaration,
): Promise<StoreOutcome> {
  const sql = sqlOf(prisma);
  const stored = await readStoredDeclaration(sql, declarationId, false);
  const prepared = await prepare(sql, declarationId, processed, stored, await findSupplierAndSystem(sql, processed));
  return prepared.outcome;
}

async function writeDeclaration(
  session: SqlSession,
  declarationId: string,
  processed: ProcessedDeclaration,
  stored: StoredDeclaration,
  ids: SupplierIds,
): Promise<StoreOutcome> {
  const prepared = await prepare(session, declarationId, processed, stored, ids);
  const { outcome, plan } = prepared;

  if (outcome.rowsReplaced && stored.hasRecords) await session.query(DELETE_ROWS, [declarationId]);
  await writeDeclarationRecords(session, declarationId, recordsOf(processed, prepared));
  await applyUpdates(session, plan);
  return outcome;
}

/** Deletes a declaration's rows before new ones replace them. The foreign keys set the links of occurrences and deviations to NULL. */
const DELETE_ROWS = preparedStatement('avvik_delete_rows', 'DELETE FROM "RequirementRow" WHERE "declarationId" = $1::uuid');

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** Collects the records a prepared processing inserts, and the Declaration columns it sets when anything changed. */
function recordsOf(processed: ProcessedDeclaration, prepared: Prepared): DeclarationWrite {
  const { outcome, plan } = prepared;
  return {
    rows: outcome.rowsReplaced ? rowRecordList(processed.parsed.rows, prepared.rowIds) : [],
    cover: outcome.coverChanged ? coverRecord(processed.parsed.cover) : null,
    deviations: plan.creates,
    occurrences: plan.occurrenceCreates,
    events: plan.events,
    declaration: outcome.changed ? { ...prepared.declarationData, processedAt: new Date() } : null,
  };
}

/**
 * Plans a processing against the stored state. 'assume-empty' plans against a declaration with
 * nothing stored and no deviations with its keys, without reading; the caller must check that
 * assumption when it writes.
 */
async function prepare(
  db: SqlSession,
  declarationId: string,
  processed: ProcessedDeclaration,
  stored: StoredDeclaration,
  ids: SupplierIds,
  read: 'stored' | 'assume-empty' = 'stored',
) {
  const { cover, rows } = processed.parsed;
  const keyParts = { supplierCode: processed.supplierCode, businessSystemId: ids.businessSystemId, municipality: cover.municipality };
  const naturalKeys = rows.map((row) => naturalKeyFor({ ...keyParts, requirementId: row.requirementId }));
  const keys = naturalKeys.filter((key) => key !== null);
  const declared = declaredAt(cover.date, stored.receivedAt);
  const state =
    read === 'assume-empty'
      ? emptySyncState()
      : await loadSyncState(db, { declarationId, declaredAt: declared, ...keyParts, keys, ...candidateKeysOf(processed, naturalKeys) }, stored.hasRecords);

  const rowsReplaced = !rowsEqual(state.rows, rows);
  const rowIds = rowsReplaced ? randomUuids(rows.length) : state.rows.map((row) => row.id);
  const plan = planDeviations(
    state,
    {
      declarationId,
      declaredAt: declared,
      ...keyParts,
      rows,
      candidates: processed.candidates,
      parserVersion: processed.parserVersion,
      ruleSetVersion: processed.ruleSetVersion,
      naturalKeys,
    },
    rowIds,
    new Date(),
  );

  const declarationData = {
    parserVersion: processed.parserVersion,
    ruleSetVersion: processed.ruleSetVersion,
    counts: countAnswers(rows),
    parseReport: withSupplierWarning(processed.parsed.report, cover, ids),
    supplierId: ids.supplierId,
    businessSystemId: ids.businessSystemId,
  };
  const declarationChanged =
    stored.status !== 'parsed' ||
    stored.parserVersion !== declarationData.parserVersion ||
    stored.ruleSetVersion !== declarationData.ruleSetVersion ||
    stableJson(stored.counts) !== stableJson(declarationData.counts) ||
    stableJson(stored.parseReport) !== stableJson(declarationData.parseReport) ||
    stored.supplierId !== ids.supplierId ||
    stored.businessSystemId !== ids.businessSystemId;
  const coverChanged = !stored.cover || stableJson(coverColumns(declarationId, cover)) !== stableJson(stored.cover);
  const outcome: StoreOutcome = {
    changed: declarationChanged || coverChanged || rowsReplaced || countPlannedWrites(plan) > 0,
    rowsReplaced,
    coverChanged,
    declarationChanged,
    changes: plan.changes,
  };
  return { outcome, plan, rowIds, declarationData, keys };
}

/**
 * Adds a warning to the parse report when the cover's organisation number belongs to a supplier
 * stored under another name, as a mistyped number does. The declaration is still filed under the
 * number's supplier, whose users can read its cover contact, so the administration must check it.
 */
function withSupplierWarning(report: ParseReport, cover: CoverFacts, ids: SupplierIds): ParseReport {
  const registered = ids.registeredName;
  if (!registered || !cover.supplier || !cover.organisationNumber) return report;
  const names = [registered, ...(ids.registeredAliases ?? [])].map(comparableName);
  if (names.includes(comparableName(cover.supplier))) return report;
  const warning =
    `The cover names the supplier '${cover.supplier}', but its organisation number ${cover.organisationNumber} belongs to ` +
    `the stored supplier '${registered}', so the declaration is filed under '${registered}', whose users see its contact details. ` +
    'Check the number with the supplier, and if it is wrong, correct it in the file and upload it again.';
  return { ...report, warnings: [...report.warnings, warning] };
}

/** Returns a company name without case, accents, spaces and punctuation, so `Kommun-System AB` equals `kommunsystem ab`. */
function comparableName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Returns the natural keys of the candidates that have one, and their normalised requirement ids. */
function candidateKeysOf(processed: ProcessedDeclaration, naturalKeys: readonly (string | null)[]) {
  const candidateKeys = new Set<string>();
  const candidateIds = new Set<string>();
  for (const { candidate } of processed.candidates) {
    const key = naturalKeys[candidate.rowIndex];
    if (!key) continue;
    candidateKeys.add(key);
    candidateIds.add(normaliseRequirementId(candidate.row.requirementId)!);
  }
  return { candidateKeys, candidateIds: [...candidateIds] };
}

async function upsertSupplierAndSystem(session: SqlSession, processed: ProcessedDeclaration): Promise<SupplierIds> {
  const { cover } = processed.parsed;
  const code = processed.supplierCode;
  if (!code) return { supplierId: null, businessSystemId: null };
  return findOrCreateSupplier(session, { code, name: cover.supplier ?? code, organisationNumber: cover.organisationNumber, system: cover.system });
}

/** Finds the supplier and system a dry run would use; null ids where the run would create them. */
async function findSupplierAndSystem(session: SqlSession, processed: ProcessedDeclaration): Promise<SupplierIds> {
  const code = processed.supplierCode;
  if (!code) return { supplierId: null, businessSystemId: null };
  const [ids] = await session.query<SupplierIds>(FIND_SUPPLIER, [code, processed.parsed.cover.system]);
  return ids ?? { supplierId: null, businessSystemId: null };
}

const FIND_SUPPLIER = `
SELECT p.id::text AS "supplierId",
  (SELECT s.id::text FROM "BusinessSystem" s WHERE s."supplierId" = p.id AND s.name = $2::text) AS "businessSystemId",
  p.name AS "registeredName", p.aliases AS "registeredAliases"
FROM "Party" p WHERE p.code = $1::text`;

function coverColumns(declarationId: string, cover: CoverFacts) {
  return {
    declarationId,
    supplier: cover.supplier,
    organisationNumber: cover.organisationNumber,
    system: cover.system,
    version: cover.version,
    municipality: cover.municipality,
    date: cover.date,
    contactName: cover.contact.name,
    contactPhone: cover.contact.phone,
    contactEmail: cover.contact.email,
  };
}

function coverRecord(cover: CoverFacts): CoverRecord {
  const { declarationId: _, ...columns } = coverColumns('', cover);
  return columns;
}

/** Returns the rows' records as a list that builds each slice when the write takes it. */
function rowRecordList(rows: readonly RequirementRow[], ids: readonly string[]): RecordList<RowRecord> {
  return { length: rows.length, slice: (start, end) => rowRecords(rows.slice(start, end), ids, start) };
}

function rowRecords(rows: readonly RequirementRow[], ids: readonly string[], offset: number): RowRecord[] {
  return rows.map((row, index) => ({
    id: ids[offset + index]!,
    position: offset + index,
    requirementId: row.requirementId,
    areaHint: row.areaHint,
    text: row.text,
    answer: toDbAnswer(row.answer),
    answerRaw: row.answerRaw,
    comment: row.comment,
    attachments: row.attachments,
    sourceSheet: row.source.kind === 'sheet' ? row.source.sheet : null,
    sourceRow: row.source.kind === 'sheet' ? row.source.row : null,
    sourcePage: row.source.kind === 'page' ? row.source.page : null,
    sourceLine: row.source.kind === 'page' ? row.source.line : null,
  }));
}
