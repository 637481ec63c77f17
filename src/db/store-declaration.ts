import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { Candidate } from '../ingest/candidates.ts';
import type { Answer, CoverFacts, ParsedDeclaration, RequirementRow } from '../ingest/model.ts';
import type { Proposal } from '../rules/model.ts';
import { toDbAnswer, toDbArea, toDbPartyKind } from './enums.ts';

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

/**
 * Writes a parsed declaration's cover, rows, deviations and their first history events, and
 * marks it parsed, all in one transaction: a crash leaves either everything or nothing.
 * Returns false without writing when another run already finished the declaration.
 */
export async function storeProcessedDeclaration(
  prisma: PrismaClient,
  declarationId: string,
  processed: ProcessedDeclaration,
): Promise<boolean> {
  return prisma.$transaction(
    async (tx) => {
      const current = await tx.declaration.findUniqueOrThrow({
        where: { id: declarationId },
        select: { status: true },
      });
      if (current.status === 'parsed') return false;

      const { supplierId, businessSystemId } = await upsertSupplierAndSystem(tx, processed);
      await writeCover(tx, declarationId, processed.parsed.cover);
      const rowIds = await writeRows(tx, declarationId, processed.parsed.rows);
      await writeDeviations(tx, declarationId, rowIds, businessSystemId, processed);
      await tx.declaration.update({
        where: { id: declarationId },
        data: {
          status: 'parsed',
          errorCode: null,
          errorMessage: null,
          processedAt: new Date(),
          parserVersion: processed.parserVersion,
          ruleSetVersion: processed.ruleSetVersion,
          counts: countAnswers(processed.parsed.rows),
          parseReport: processed.parsed.report as unknown as Prisma.InputJsonValue,
          supplierId,
          businessSystemId,
        },
      });
      return true;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
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

async function writeCover(tx: Transaction, declarationId: string, cover: CoverFacts) {
  await tx.coverFacts.create({
    data: {
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
    },
  });
}

/** Inserts the rows in batches and returns their ids in row order. */
async function writeRows(tx: Transaction, declarationId: string, rows: RequirementRow[]) {
  const ids = rows.map(() => randomUUID());
  const data = rows.map((row, position) => ({
    id: ids[position]!,
    declarationId,
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
  for (const batch of chunk(data, 2_000)) await tx.requirementRow.createMany({ data: batch });
  return ids;
}

async function writeDeviations(
  tx: Transaction,
  declarationId: string,
  rowIds: string[],
  businessSystemId: string | null,
  processed: ProcessedDeclaration,
) {
  const { cover } = processed.parsed;
  const deviations = processed.candidates.map(({ candidate, proposal }) => ({
    id: randomUUID(),
    declarationId,
    requirementRowId: rowIds[candidate.rowIndex]!,
    businessSystemId,
    supplierCode: processed.supplierCode,
    municipality: cover.municipality,
    requirementId: candidate.row.requirementId,
    answer: toDbAnswer(candidate.row.answer),
    title: candidate.title,
    reproduction: candidate.reproduction,
    result: candidate.result,
    material: candidate.material,
    contactName: candidate.contact.name,
    contactPhone: candidate.contact.phone,
    contactEmail: candidate.contact.email,
    missingFields: candidate.missingFields,
    proposedArea: toDbArea(proposal.area),
    proposedPartyKind: toDbPartyKind(proposal.partyKind),
    proposedPartyCode: proposal.partyCode,
    proposalRuleIds: proposal.ruleIds,
    proposalEvidence: proposal.evidence as unknown as Prisma.InputJsonValue,
    proposalConfidence: proposal.confidence,
    proposalCandidates: proposal.candidates as unknown as Prisma.InputJsonValue,
    newRequirement: proposal.newRequirement,
    parserVersion: processed.parserVersion,
    ruleSetVersion: proposal.ruleSetVersion,
  }));
  for (const batch of chunk(deviations, 1_000)) await tx.deviation.createMany({ data: batch });

  const events = deviations.map((deviation) => ({
    deviationId: deviation.id,
    actor: 'system',
    type: 'created',
    toValue: {
      status: 'new',
      proposal: {
        area: deviation.proposedArea,
        partyKind: deviation.proposedPartyKind,
        partyCode: deviation.proposedPartyCode,
        ruleIds: deviation.proposalRuleIds,
        confidence: deviation.proposalConfidence,
      },
      parserVersion: processed.parserVersion,
      ruleSetVersion: processed.ruleSetVersion,
    },
    reason: 'Skapad från självdeklaration',
  }));
  for (const batch of chunk(events, 1_000)) await tx.deviationEvent.createMany({ data: batch });
}

function chunk<T>(items: T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
