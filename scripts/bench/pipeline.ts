/** The application's own pipeline functions, wired up for the benchmark and timed stage by stage. */

import { openDatabase, type Database } from '../../src/db/client.ts';
import { supplierCodeFor, type ProcessedDeclaration } from '../../src/db/store-declaration.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { buildCandidates } from '../../src/ingest/candidates.ts';
import { storeDeclaration } from '../../src/ingest/intake.ts';
import { PARSER_VERSION, parseDeclaration } from '../../src/ingest/parse.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { proposeOwner } from '../../src/rules/engine.ts';
import { loadParties, type Party } from '../../src/rules/parties.ts';
import { loadRuleSet, type RuleSet } from '../../src/rules/ruleset.ts';
import { processDeclaration, STAGES, type Stage } from '../../src/workers/process-declaration.ts';
import { nowMs } from './statistics.ts';

export interface BenchContext {
  database: Database;
  prisma: PrismaClient;
  ruleSet: RuleSet;
  parties: Party[];
  log: Logger;
}

export async function openBenchContext(url: string): Promise<BenchContext> {
  const database = await openDatabase({ databaseUrl: url, dataDir: '' });
  return {
    database,
    prisma: database.prisma,
    ruleSet: loadRuleSet(),
    parties: loadParties(),
    log: createLogger('warn'),
  };
}

/** The largest file the benchmark ingests: the 50,000-row workbook is about 2 MiB. */
const MAX_BYTES = 64 * 1024 * 1024;

/** Stores files as `avvik ingest` does and returns the declaration ids in file order. */
export async function intake(prisma: PrismaClient, files: readonly { name: string; bytes: Uint8Array }[]): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const stored = await storeDeclaration(prisma, file.bytes, { fileName: file.name, maxBytes: MAX_BYTES });
    ids.push(stored.id);
  }
  return ids;
}

/**
 * Parses a file, builds its candidates and proposes their owners, with the same calls in the
 * same order as the worker's processor, and returns what the store stage writes.
 */
export async function processInMemory(context: BenchContext, bytes: Uint8Array, fileName: string): Promise<ProcessedDeclaration> {
  const parsed = await parseDeclaration(bytes, fileName);
  const supplierCode = supplierCodeFor(parsed.cover);
  const candidates = buildCandidates(parsed.rows, parsed.cover, fileName).map((candidate) => ({
    candidate,
    proposal: proposeOwner(
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
    ),
  }));
  return { parsed, candidates, supplierCode, parserVersion: PARSER_VERSION, ruleSetVersion: context.ruleSet.version };
}

/** Milliseconds spent in each stage of one declaration, and in all of them. */
export type StageTimes = Record<Stage | 'total', number>;

/** Runs the worker's processor on one stored declaration and times each of its stages. */
export async function processTimed(
  context: BenchContext,
  declarationId: string,
  onStage?: (stage: Stage) => void,
): Promise<StageTimes> {
  const starts = new Map<Stage, number>();
  const start = nowMs();
  const outcome = await processDeclaration(
    {
      prisma: context.prisma,
      ruleSet: context.ruleSet,
      parties: context.parties,
      log: context.log,
      maxBytes: MAX_BYTES,
      onStage: (stage) => {
        starts.set(stage, nowMs());
        onStage?.(stage);
      },
    },
    declarationId,
  );
  const end = nowMs();
  if (outcome.status !== 'parsed') throw new Error(`Declaration ${declarationId} was ${outcome.status}, expected a first parse.`);

  const times = { total: end - start } as StageTimes;
  STAGES.forEach((stage, index) => {
    const next = STAGES[index + 1];
    const stageEnd = next ? starts.get(next)! : end;
    times[stage] = stageEnd - starts.get(stage)!;
  });
  return times;
}
