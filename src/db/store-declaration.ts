import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { declaredAt, naturalKeyFor } from '../declarations/natural-key.ts';
import type { Candidate } from '../ingest/candidates.ts';
import type { Answer, CoverFacts, ParsedDeclaration, RequirementRow } from '../ingest/model.ts';
import type { Proposal } from '../rules/model.ts';
import { toDbAnswer } from './enums.ts';
import { applyPlan, chunk } from './sync-apply.ts';
import { countPlannedWrites, planDeviations, rowsEqual, stableJson, type DeclarationChanges } from './sync-plan.ts';
import { loadSyncState, type Reader } from './sync-state.ts';

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
    await lockDeclaration(tx, declarationId);
    const current = await tx.declaration.findUniqueOrThrow({ where: { id: declarationId }, select: { status: true } });
    if (current.status === 'parsed') return false;
    await writeDeclaration(tx, declarationId, processed);
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
    await lockDeclaration(tx, declarationId);
    return writeDeclaration(tx, declarationId, processed);
  }, TRANSACTION_OPTIONS);
}

/** Plans a processing of a declaration exactly as storeReprocessedDeclaration would, without writing. */
export async function previewProcessedDeclaration(
  prisma: PrismaClient,
  declarationId: string,
  processed: ProcessedDeclaration,
): Promise<StoreOutcome> {
  const prepared = await prepare(prisma, declarationId, processed, await findSupplierAndSystem(prisma, processed));
  return prepared.outcome;
}

async function writeDeclaration(tx: Transaction, declarationId: string, processed: ProcessedDeclaration): Promise<StoreOutcome> {
  const ids = await upsertSupplierAndSystem(tx, processed);
  const prepared = await prepare(tx, declarationId, processed, ids);
  const { outcome } = prepared;

  if (outcome.rowsReplaced) {
    await tx.requirementRow.deleteMany({ where: { declarationId } });
    await writeRows(tx, declarationId, processed.parsed.rows, prepared.rowIds);
  }
  if (outcome.coverChanged) await writeCover(tx, declarationId, processed.parsed.cover);
  await applyPlan(tx, prepared.plan);
  if (outcome.changed) {
    await tx.declaration.update({
      where: { id: declarationId },
      data: { ...prepared.declarationData, errorCode: null, errorMessage: null, processedAt: new Date() },
    });
  }
  return outcome;
}

/** Takes the declaration's row lock, so that two processings of one declaration run one after the other. */
async function lockDeclaration(tx: Transaction, declarationId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "Declaration" WHERE "id" = ${declarationId}::uuid FOR UPDATE`;
}

async function prepare(
  db: Reader,
  declarationId: string,
  processed: ProcessedDeclaration,
  ids: { supplierId: string | null; businessSystemId: string | null },
) {
  const stored = await db.declaration.findUniqueOrThrow({
    where: { id: declarationId },
    select: {
      receivedAt: true,
      status: true,
      parserVersion: true,
      ruleSetVersion: true,
      counts: true,
      parseReport: true,
      supplierId: true,
      businessSystemId: true,
      cover: true,
    },
  });
  const { cover, rows } = processed.parsed;
  const keyParts = { supplierCode: processed.supplierCode, businessSystemId: ids.businessSystemId, municipality: cover.municipality };
  const keys = rows.map((row) => naturalKeyFor({ ...keyParts, requirementId: row.requirementId })).filter((key) => key !== null);
  const state = await loadSyncState(db, declarationId, keys);

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
    status: 'parsed' as const,
    parserVersion: processed.parserVersion,
    ruleSetVersion: processed.ruleSetVersion,
    counts: countAnswers(rows),
    parseReport: processed.parsed.report as unknown as Prisma.InputJsonValue,
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

async function upsertSupplierAndSystem(tx: Transaction, processed: ProcessedDeclaration) {
  const { cover } = processed.parsed;
  const code = processed.supplierCode;
  if (!code) return { supplierId: null, businessSystemId: null };

  const supplier = await tx.party.upsert({
    where: { code },
    create: {
      code,
      kind: 'supplier',
      name: cover.supplier ?? code,
      organisationNumber: cover.organisationNumber,
    },
    update: {},
    select: { id: true },
  });
  if (!cover.system) return { supplierId: supplier.id, businessSystemId: null };

  const system = await tx.businessSystem.upsert({
    where: { supplierId_name: { supplierId: supplier.id, name: cover.system } },
    create: { supplierId: supplier.id, name: cover.system },
    update: {},
    select: { id: true },
  });
  return { supplierId: supplier.id, businessSystemId: system.id };
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

async function writeCover(tx: Transaction, declarationId: string, cover: CoverFacts) {
  const data = coverColumns(declarationId, cover);
  await tx.coverFacts.upsert({ where: { declarationId }, create: data, update: data });
}

/**
 * Inserts requirement rows from one JSON parameter per batch. Prisma's createMany builds a new
 * statement with fourteen parameters per row, and that costs more client time than PostgreSQL
 * needs to insert the rows. One fixed statement over jsonb_to_recordset avoids it.
 */
const INSERT_REQUIREMENT_ROWS = `
  INSERT INTO "RequirementRow" (id, "declarationId", position, "requirementId", "areaHint", text, answer,
    "answerRaw", comment, attachments, "sourceSheet", "sourceRow", "sourcePage", "sourceLine")
  SELECT r.id, $2::uuid, r.position, r."requirementId", r."areaHint", r.text, r.answer::"Answer",
    r."answerRaw", r.comment, r.attachments, r."sourceSheet", r."sourceRow", r."sourcePage", r."sourceLine"
  FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, position int, "requirementId" text, "areaHint" text,
    text text, answer text, "answerRaw" text, comment text, attachments text[], "sourceSheet" text,
    "sourceRow" int, "sourcePage" int, "sourceLine" int)`;

/** Inserts the rows in batches with the given ids, in row order. */
async function writeRows(tx: Transaction, declarationId: string, rows: RequirementRow[], ids: readonly string[]) {
  const data = rows.map((row, position) => ({
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
  for (const batch of chunk(data, 5_000)) {
    await tx.$executeRawUnsafe(INSERT_REQUIREMENT_ROWS, JSON.stringify(batch), declarationId);
  }
}
