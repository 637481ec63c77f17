import type { PrismaClient } from '../generated/prisma/client.ts';
import { DeclarationFileError, isDeclarationFileError } from '../errors.ts';
import { buildCandidates } from '../ingest/candidates.ts';
import type { ParsedDeclaration } from '../ingest/model.ts';
import { PARSER_VERSION, parseDeclaration } from '../ingest/parse.ts';
import type { Logger } from '../log.ts';
import { proposeOwner } from '../rules/engine.ts';
import type { Parties } from '../rules/parties.ts';
import type { RuleSet } from '../rules/ruleset.ts';
import { storeProcessedDeclaration, supplierCodeFor, type ProcessedDeclaration } from '../db/store-declaration.ts';

/** The named stages of processing one declaration, in order. */
export const STAGES = ['load', 'parse', 'candidates', 'rules', 'store'] as const;
export type Stage = (typeof STAGES)[number];

export interface ProcessorContext {
  prisma: PrismaClient;
  ruleSet: RuleSet;
  parties: Parties;
  log: Logger;
  maxBytes: number;
  /** Called as each stage starts, e.g. to report job progress. */
  onStage?: (stage: Stage) => Promise<void> | void;
}

export type DeclarationOutcome =
  | { status: 'parsed'; declarationId: string; deviations: number }
  | { status: 'already-parsed'; declarationId: string };

/**
 * Parses a stored declaration, proposes owners for its deviations and stores the result.
 * A file that cannot be read marks the declaration failed and throws DeclarationFileError;
 * any other error is thrown unchanged so that the caller can retry.
 */
export async function processDeclaration(
  context: ProcessorContext,
  declarationId: string,
): Promise<DeclarationOutcome> {
  const { prisma, log } = context;
  const stage = async (name: Stage) => {
    log.debug({ declarationId, stage: name }, 'stage started');
    await context.onStage?.(name);
  };

  await stage('load');
  const declaration = await prisma.declaration.findUniqueOrThrow({
    where: { id: declarationId },
    select: { status: true, fileName: true, sizeBytes: true, file: { select: { content: true } } },
  });
  if (declaration.status === 'parsed') return { status: 'already-parsed', declarationId };
  if (!declaration.file) throw new Error(`Declaration ${declarationId} has no stored file.`);
  await prisma.declaration.update({ where: { id: declarationId }, data: { status: 'processing' } });

  try {
    checkSize(declaration.fileName, declaration.sizeBytes, context.maxBytes);
    await stage('parse');
    const parsed = await parseDeclaration(declaration.file.content, declaration.fileName);
    const processed = await propose(context, parsed, declaration.fileName, stage);

    await stage('store');
    const stored = await storeProcessedDeclaration(prisma, declarationId, processed);
    if (!stored) return { status: 'already-parsed', declarationId };
    return { status: 'parsed', declarationId, deviations: processed.candidates.length };
  } catch (error) {
    if (isDeclarationFileError(error)) await markFailed(prisma, declarationId, error);
    throw error;
  }
}

async function propose(
  context: ProcessorContext,
  parsed: ParsedDeclaration,
  fileName: string,
  stage: (name: Stage) => Promise<void>,
): Promise<ProcessedDeclaration> {
  await stage('candidates');
  const candidates = buildCandidates(parsed.rows, parsed.cover, fileName);
  const supplierCode = supplierCodeFor(parsed.cover);

  await stage('rules');
  const proposed = candidates.map((candidate) => {
    const proposal = proposeOwner(
      {
        requirementId: candidate.row.requirementId,
        areaHint: candidate.row.areaHint,
        sheet: candidate.row.source.kind === 'sheet' ? candidate.row.source.sheet : null,
        text: candidate.row.text,
        comment: candidate.row.comment,
        supplierCode,
      },
      context.ruleSet,
      context.parties,
    );
    context.log.debug(
      { requirementId: candidate.row.requirementId, ruleIds: proposal.ruleIds, area: proposal.area, partyCode: proposal.partyCode, confidence: proposal.confidence },
      'owner proposed',
    );
    return { candidate, proposal };
  });

  return {
    parsed,
    candidates: proposed,
    supplierCode,
    parserVersion: PARSER_VERSION,
    ruleSetVersion: context.ruleSet.version,
  };
}

function checkSize(fileName: string, sizeBytes: number, maxBytes: number) {
  if (sizeBytes <= maxBytes) return;
  throw new DeclarationFileError(
    'file-too-large',
    `${fileName} is ${sizeBytes} bytes, over the limit of ${maxBytes} bytes (AVVIK_MAX_FILE_BYTES). ` +
      'Remove images or unused sheets, or split the declaration, and send it again.',
  );
}

/** Records why a declaration failed. The stored file is kept. */
export async function markFailed(
  prisma: PrismaClient,
  declarationId: string,
  error: { code: string; message: string },
): Promise<void> {
  await prisma.declaration.update({
    where: { id: declarationId },
    data: { status: 'failed', errorCode: error.code, errorMessage: error.message, processedAt: new Date() },
  });
}
