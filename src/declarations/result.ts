import path from 'node:path';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { fromDbAnswer, fromDbArea, fromDbPartyKind } from '../db/enums.ts';
import { displayableFileName } from '../ingest/intake.ts';
import type { AnswerCounts } from '../db/store-declaration.ts';
import { fromDbStatus, type DeviationStatus } from '../workflow/state-machine.ts';

/** One declaration as `avvik ingest --json` prints it. */
export interface DeclarationResult {
  file: string;
  declarationId: string | null;
  status: 'queued' | 'processing' | 'parsed' | 'failed';
  /**
   * The file name the same content was first stored under, when it differs from this file's: a
   * file is stored once, so its messages name the first file.
   */
  storedAs?: string;
  error?: { code: string; message: string };
  cover: {
    supplier: string | null;
    system: string | null;
    version: string | null;
    municipality: string | null;
    date: string | null;
    contact: { name: string | null; phone: string | null; email: string | null };
  } | null;
  requirements: AnswerCounts | null;
  /** The warnings of the parse report, on values read differently from the file or left out. Empty when none. */
  warnings: string[];
  deviations: DeviationResult[];
}

export interface DeviationResult {
  id: string;
  requirementId: string | null;
  title: string;
  answer: 'not-met' | 'partially-met';
  /** New for a deviation this declaration created; an earlier declaration's deviation may be further on. */
  status: DeviationStatus;
  proposal: {
    area: string;
    partyKind: string;
    partyCode: string | null;
    ruleIds: string[];
    confidence: number;
    newRequirement: boolean;
  };
  missingFields: string[];
  source: { sheet: string; row: number } | { page: number; line: number } | null;
}

/**
 * Loads a declaration with its cover facts, counts and deviations in source order. The deviations
 * are those the declaration reports: its own and those of earlier declarations it reported again.
 * Answer and source are this declaration's.
 */
export async function loadDeclarationResult(
  prisma: PrismaClient,
  declarationId: string,
  file: string,
): Promise<DeclarationResult> {
  const declaration = await prisma.declaration.findUniqueOrThrow({
    where: { id: declarationId },
    include: {
      cover: true,
      deviations: { include: { requirementRow: true } },
      occurrences: { include: { requirementRow: true, deviation: true } },
    },
  });
  const reported = new Map<string, DeviationRecord>();
  for (const occurrence of declaration.occurrences) {
    if (occurrence.withdrawnAt !== null) continue;
    reported.set(occurrence.deviationId, { ...occurrence.deviation, answer: occurrence.answer, requirementRow: occurrence.requirementRow });
  }
  // Deviations stored before occurrences existed have none until the declaration is re-processed.
  for (const deviation of declaration.deviations) {
    if (!reported.has(deviation.id) && !declaration.occurrences.some((occurrence) => occurrence.deviationId === deviation.id)) {
      reported.set(deviation.id, deviation);
    }
  }
  const deviations = [...reported.values()]
    .sort((a, b) => (a.requirementRow?.position ?? 0) - (b.requirementRow?.position ?? 0))
    .map(toDeviationResult);
  const cover = declaration.cover;

  return {
    file,
    declarationId,
    status: declaration.status,
    ...(declaration.fileName !== displayableFileName(path.basename(file)) ? { storedAs: declaration.fileName } : {}),
    ...(declaration.status === 'failed'
      ? { error: { code: declaration.errorCode ?? 'unknown', message: declaration.errorMessage ?? '' } }
      : {}),
    cover: cover && {
      supplier: cover.supplier,
      system: cover.system,
      version: cover.version,
      municipality: cover.municipality,
      date: cover.date,
      contact: { name: cover.contactName, phone: cover.contactPhone, email: cover.contactEmail },
    },
    requirements: orderedCounts(declaration.counts as AnswerCounts | null),
    warnings: (declaration.parseReport as { warnings?: string[] } | null)?.warnings ?? [],
    deviations,
  };
}

type DeviationRecord = Prisma.DeviationGetPayload<{ include: { requirementRow: true } }>;

function toDeviationResult(deviation: DeviationRecord): DeviationResult {
  const row = deviation.requirementRow;
  return {
    id: deviation.id,
    requirementId: deviation.requirementId,
    title: deviation.title,
    answer: fromDbAnswer(deviation.answer ?? 'not_met') as DeviationResult['answer'],
    status: fromDbStatus(deviation.status),
    proposal: {
      area: fromDbArea(deviation.proposedArea),
      partyKind: fromDbPartyKind(deviation.proposedPartyKind),
      partyCode: deviation.proposedPartyCode,
      ruleIds: deviation.proposalRuleIds,
      confidence: deviation.proposalConfidence,
      newRequirement: deviation.newRequirement,
    },
    missingFields: deviation.missingFields,
    source: !row
      ? null
      : row.sourceSheet !== null
        ? { sheet: row.sourceSheet, row: row.sourceRow ?? 0 }
        : { page: row.sourcePage ?? 0, line: row.sourceLine ?? 0 },
  };
}

/** Returns the counts in a fixed key order, because PostgreSQL's jsonb does not keep the order they were written in. */
function orderedCounts(counts: AnswerCounts | null): AnswerCounts | null {
  if (!counts) return null;
  const { total, met, notMet, partiallyMet, notApplicable, unanswered } = counts;
  return { total, met, notMet, partiallyMet, notApplicable, unanswered };
}
