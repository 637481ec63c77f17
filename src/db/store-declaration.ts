import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { declaredAt, naturalKeyFor } from '../declarations/natural-key.ts';
import type { Candidate } from '../ingest/candidates.ts';
import type { Answer, CoverFacts, ParsedDeclaration, RequirementRow } from '../ingest/model.ts';
import type { Proposal } from '../rules/model.ts';
import { toDbAnswer } from './enums.ts';
import { applyUpdates } from './sync-apply.ts';
import { countPlannedWrites, planDeviations, rowsEqual, stableJson, type DeclarationChanges } from './sync-plan.ts';
import { loadSyncState, type Reader } from './sync-state.ts';
import {
  findOrCreateSupplier,
  readStoredDeclaration,
  writeDeclarationRecords,
  type CoverRecord,
  type RowRecord,
  type StoredDeclaration,
  type SupplierIds,
} from './write-declaration.ts';

type Transaction = Prisma.TransactionClient;

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
 * gives one, else `SUP-` and its name in capitals. Returns null when the cover names no supplier.
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
  return slug ? `SUP-${slug}` : null;
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

const TRANSACTION_OPTIONS = { timeout: 120_000, maxWait: 30_000 };

/**
 * Writes a parsed declaration's cover, rows, deviations, occurrences and their history events,
 * and marks it parsed, all in one transaction: a crash leaves either everything or nothing.
 * Returns false without writing when another run already finished the declaration.
 */
export async function storeProcessedDeclaration(
  prisma: PrismaClient,
  declarationId: string,
  processed: ProcessedDeclaration,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const stored = await readStoredDeclaration(tx, declarationId, true);
    if (stored.status === 'parsed') return false;
    await writeDeclaration(tx, declarationId, processed, stored);
    return true;
  }, TRANSACTION_OPTIONS);
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
  return prisma.$transaction(async (tx) => {
    const stored = await readStoredDeclaration(tx, declarationId, true);
    return writeDeclaration(tx, declarationId, processed, stored);
  }, TRANSACTION_OPTIONS);
}

/** Plans a processing of a declaration exactly as storeReprocessedDeclaration would, without writing. */
export async function previewProcessedDeclaration(
  prisma: PrismaClient,
  declarationId: string,
  processed: ProcessedDeclaration,
): Promise<StoreOutcome> {
  const stored = await readStoredDeclaration(prisma, declarationId, false);
  const prepared = await prepare(prisma, declarationId, processed, stored, await findSupplierAndSystem(prisma, processed));
  return prepared.outcome;
}

async function writeDeclaration(
  tx: Transaction,
  declarationId: string,
  processed: ProcessedDeclaration,
  stored: StoredDeclaration,
): Promise<StoreOutcome> {
  const ids = await upsertSupplierAndSystem(tx, processed);
  const prepared = await prepare(tx, declarationId, processed, stored, ids);
  const { outcome, plan } = prepared;

  if (outcome.rowsReplaced && stored.hasRecords) await tx.requirementRow.deleteMany({ where: { declarationId } });
  await writeDeclarationRecords(tx, declarationId, {
    rows: outcome.rowsReplaced ? rowRecords(processed.parsed.rows, prepared.rowIds) : [],
    cover: outcome.coverChanged ? coverRecord(processed.parsed.cover) : null,
    deviations: plan.creates,
    occurrences: plan.occurrenceCreates,
    events: plan.events,
    declaration: outcome.changed ? { ...prepared.declarationData, processedAt: new Date() } : null,
  });
  await applyUpdates(tx, plan);
  return outcome;
}

async function prepare(
  db: Reader,
  declarationId: string,
  processed: ProcessedDeclaration,
  stored: StoredDeclaration,
  ids: { supplierId: string | null; businessSystemId: string | null },
) {
  const { cover, rows } = processed.parsed;
  const keyParts = { supplierCode: processed.supplierCode, businessSystemId: ids.businessSystemId, municipality: cover.municipality };
  const keys = rows.map((row) => naturalKeyFor({ ...keyParts, requirementId: row.requirementId })).filter((key) => key !== null);
  const state = await loadSyncState(db, declarationId, keys, stored.hasRecords);

  const rowsReplaced = !rowsEqual(state.rows, rows);
  const rowIds = rowsReplaced ? rows.map(() => randomUUID()) : state.rows.map((row) => row.id);
  const plan = planDeviations(
    state,
    {
      declarationId,
      declaredAt: declaredAt(cover.date, stored.receivedAt),
      ...keyParts,
      rows,
      candidates: processed.candidates,
      parserVersion: processed.parserVersion,
      ruleSetVersion: processed.ruleSetVersion,
    },
    rowIds,
    new Date(),
  );

  const declarationData = {
    parserVersion: processed.parserVersion,
    ruleSetVersion: processed.ruleSetVersion,
    counts: countAnswers(rows),
    parseReport: processed.parsed.report,
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
  return { outcome, plan, rowIds, declarationData };
}

async function upsertSupplierAndSystem(tx: Transaction, processed: ProcessedDeclaration): Promise<SupplierIds> {
  const { cover } = processed.parsed;
  const code = processed.supplierCode;
  if (!code) return { supplierId: null, businessSystemId: null };
  return findOrCreateSupplier(tx, { code, name: cover.supplier ?? code, organisationNumber: cover.organisationNumber, system: cover.system });
}

/** Finds the supplier and system a dry run would use; null ids where the run would create them. */
async function findSupplierAndSystem(prisma: PrismaClient, processed: ProcessedDeclaration) {
  const code = processed.supplierCode;
  const supplier = code ? await prisma.party.findUnique({ where: { code }, select: { id: true } }) : null;
  const systemName = processed.parsed.cover.system;
  const system =
    supplier && systemName
      ? await prisma.businessSystem.findUnique({ where: { supplierId_name: { supplierId: supplier.id, name: systemName } }, select: { id: true } })
      : null;
  return { supplierId: supplier?.id ?? null, businessSystemId: system?.id ?? null };
}

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

function rowRecords(rows: readonly RequirementRow[], ids: readonly string[]): RowRecord[] {
  return rows.map((row, position) => ({
    id: ids[position]!,
    position,
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
