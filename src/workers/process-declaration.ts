import type { PrismaClient } from '../generated/prisma/client.ts';
import { DeclarationFileError, isDeclarationFileError, parserFault } from '../errors.ts';
import { buildCandidates, type Candidate } from '../ingest/candidates.ts';
import { dataExceptionCode } from '../db/errors.ts';
import { preparedStatement } from '../db/prepared.ts';
import { sqlOf } from '../db/sql.ts';
import { tooLargeMessage } from '../ingest/intake.ts';
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
  const declaration = await loadForProcessing(prisma, declarationId);
  if (declaration === 'already-parsed') return { status: 'already-parsed', declarationId };

  try {
    checkSize(declaration.fileName, declaration.sizeBytes, context.maxBytes);
    const processed = await parseAndPropose(context, declaration.content, declaration.fileName, stage);

    await stage('store');
    const stored = await storeOrReject(prisma, declarationId, declaration, processed);
    if (!stored) return { status: 'already-parsed', declarationId };
    return { status: 'parsed', declarationId, deviations: processed.candidates.length };
  } catch (error) {
    if (isDeclarationFileError(error)) await markFailed(prisma, declarationId, error);
    throw error;
  }
}

/**
 * Files from this size on are marked `processing` while they are worked on. A smaller file is
 * done in well under a second, before anyone could see the status, and the extra write of the
 * status was a tenth of PostgreSQL's work per typical declaration.
 */
export const MARK_PROCESSING_FROM_BYTES = 1024 * 1024;

const LOAD_FOR_PROCESSING = preparedStatement(
  'avvik_load_for_processing',
  `WITH target AS (
       SELECT d.id, d."fileName", d."sizeBytes", d."receivedAt", d.status FROM "Declaration" AS d
       WHERE d.id = $1::uuid AND d.status <> 'parsed'
     ),
     marked AS (
       UPDATE "Declaration" AS d SET status = 'processing' FROM target
       WHERE d.id = target.id AND target."sizeBytes" >= $2 AND target.status <> 'processing'
     )
     SELECT target."fileName", target."sizeBytes", target."receivedAt", f.content
     FROM target JOIN "DeclarationFile" AS f ON f."declarationId" = target.id`,
);

/**
 * Reads the declaration's file and, for a large file, sets its status to processing, in one
 * statement. Returns 'already-parsed' when another run finished it, and throws when it or its
 * file is missing.
 */
async function loadForProcessing(prisma: PrismaClient, declarationId: string) {
  const [loaded] = await sqlOf(prisma).query<{ fileName: string; sizeBytes: number; receivedAt: Date; content: Uint8Array }>(
    LOAD_FOR_PROCESSING,
    [declarationId, MARK_PROCESSING_FROM_BYTES],
  );
  if (loaded) return loaded;
  const [declaration] = await sqlOf(prisma).query<{ status: string }>('SELECT status::text AS status FROM "Declaration" WHERE id = $1::uuid', [declarationId]);
  if (!declaration) throw new Error(`Declaration ${declarationId} does not exist.`);
  if (declaration.status === 'parsed') return 'already-parsed' as const;
  throw new Error(`Declaration ${declarationId} has no stored file.`);
}

/** The rule set, parties and logger that parsing and proposing need. */
export type ProposalContext = Pick<ProcessorContext, 'ruleSet' | 'parties' | 'log'>;

/**
 * Runs the stages that depend only on the file and the rule set. They give the same result on
 * every attempt, so an unexpected error inside them is a parser fault that a retry cannot mend.
 * Re-processing calls this too, so both paths read files and propose owners the same way.
 */
export async function parseAndPropose(
  context: ProposalContext,
  content: Uint8Array,
  fileName: string,
  stage: (name: Stage) => Promise<void> = async () => {},
): Promise<ProcessedDeclaration> {
  const guarded = <T>(work: () => T | Promise<T>) => asParserFault(context, fileName, work);

  await stage('parse');
  const parsed = await guarded(() => parseDeclaration(content, fileName));
  const supplierCode = supplierCodeFor(parsed.cover);

  await stage('candidates');
  const candidates = await guarded(() => buildCandidates(parsed.rows, parsed.cover, fileName));

  await stage('rules');
  const proposed = await guarded(() => candidates.map((candidate) => ({ candidate, proposal: proposeFor(context, candidate, supplierCode) })));

  return {
    parsed,
    candidates: proposed,
    supplierCode,
    parserVersion: PARSER_VERSION,
    ruleSetVersion: context.ruleSet.version,
  };
}

function proposeFor(context: ProposalContext, candidate: Candidate, supplierCode: string | null) {
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
  const { ruleIds, area, partyCode, confidence } = proposal;
  context.log.debug({ requirementId: candidate.row.requirementId, ruleIds, area, partyCode, confidence }, 'owner proposed');
  return proposal;
}

async function asParserFault<T>(context: ProposalContext, fileName: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDeclarationFileError(error)) throw error;
    context.log.error({ err: error, file: fileName }, 'parser fault');
    throw parserFault(fileName, error);
  }
}

/** Stores the result, turning a value that PostgreSQL rejects as data into a file error. */
async function storeOrReject(
  prisma: PrismaClient,
  declarationId: string,
  { fileName, receivedAt }: { fileName: string; receivedAt: Date },
  processed: ProcessedDeclaration,
): Promise<boolean> {
  try {
    return await storeProcessedDeclaration(prisma, declarationId, processed, receivedAt);
  } catch (error) {
    throw asInvalidData(fileName, error) ?? error;
  }
}

/** Turns a value that PostgreSQL rejected as data into the file error `invalid-data`; null for any other error. */
export function asInvalidData(fileName: string, error: unknown): DeclarationFileError | null {
  const sqlState = dataExceptionCode(error);
  if (!sqlState) return null;
  return new DeclarationFileError(
    'invalid-data',
    `${fileName} contains a value the database cannot store (PostgreSQL error ${sqlState}). ` +
      'Look for unusual characters or very long cells, save the file again and send it again.',
    { cause: error },
  );
}


export function checkSize(fileName: string, sizeBytes: number, maxBytes: number) {
  if (sizeBytes <= maxBytes) return;
  throw new DeclarationFileError('file-too-large', tooLargeMessage(fileName, sizeBytes, maxBytes));
}

/**
 * Records why a declaration failed. The stored file is kept. With `onlyUnfinished`, a declaration
 * that is neither queued nor processing is left as it is.
 */
export async function markFailed(
  prisma: PrismaClient,
  declarationId: string,
  error: { code: string; message: string },
  onlyUnfinished = false,
): Promise<void> {
  await sqlOf(prisma).query(MARK_FAILED, [declarationId, error.code, error.message, onlyUnfinished]);
}

const MARK_FAILED = preparedStatement(
  'avvik_mark_failed',
  `UPDATE "Declaration" SET status = 'failed', "errorCode" = $2::text, "errorMessage" = $3::text,
     "processedAt" = now() AT TIME ZONE 'UTC'
   WHERE id = $1::uuid AND (NOT $4::boolean OR status IN ('queued', 'processing'))`,
);
