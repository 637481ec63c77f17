/**
 * Re-processing: reads stored declaration files again with the current parser and rule set and
 * stores what changed, one transaction per declaration, without overwriting what a person set.
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { previewProcessedDeclaration, storeReprocessedDeclaration, type StoreOutcome } from '../db/store-declaration.ts';
import { fromDbPartyKind } from '../db/enums.ts';
import { isDeclarationFileError } from '../errors.ts';
import { PARTY_KIND_IN_WORDS } from '../rules/model.ts';
import { asInvalidData, checkSize, parseAndPropose, type ProposalContext } from '../workers/process-declaration.ts';

/** The selection of stored declarations to re-process. Exactly one field is set. */
export type ReprocessSelector =
  | { all: true }
  /** Declarations received on or after this instant. */
  | { since: Date }
  | { supplierCode: string }
  | { businessSystemId: string }
  | { declarationId: string };

export interface ReprocessContext extends ProposalContext {
  prisma: PrismaClient;
  maxBytes: number;
}

export type DeclarationReprocessResult =
  | ({ declarationId: string; fileName: string; status: 'changed' | 'unchanged' } & StoreOutcome)
  | {
      declarationId: string;
      fileName: string;
      status: 'failed';
      error: { code: string; message: string };
      /** True when the declaration was stored as failed before this run, so the failure is not new. */
      failedBefore: boolean;
    };

export interface ReprocessProgress {
  total: number;
  done: number;
  changed: number;
  unchanged: number;
  /** Declarations that could not be re-processed, the sum of newlyFailed and failedBefore. */
  failed: number;
  /** Failed declarations whose stored status is not failed, such as a parsed one that the current parser cannot read. */
  newlyFailed: number;
  /** Failed declarations that were stored as failed before this run. */
  failedBefore: number;
}

export interface ReprocessSummary extends ReprocessProgress {
  dryRun: boolean;
  /** True when the run was stopped before every declaration was handled. */
  interrupted: boolean;
  declarations: DeclarationReprocessResult[];
}

export interface ReprocessOptions {
  dryRun: boolean;
  onProgress?: (progress: ReprocessProgress) => void;
  /** Checked before each declaration; when it returns true, the run stops. */
  shouldStop?: () => boolean;
}

/** Builds the filter of a selector. */
export function selectorWhere(selector: ReprocessSelector): Prisma.DeclarationWhereInput {
  if ('all' in selector) return {};
  if ('since' in selector) return { receivedAt: { gte: selector.since } };
  if ('supplierCode' in selector) return { supplier: { is: { code: selector.supplierCode } } };
  if ('businessSystemId' in selector) return { businessSystemId: selector.businessSystemId };
  return { id: selector.declarationId };
}

/**
 * Re-processes the selected declarations, oldest first, so that later declarations are compared
 * with earlier ones as on first ingest. A run stopped half-way can be run again: a declaration
 * that is already up to date is left unchanged.
 */
export async function reprocessDeclarations(
  context: ReprocessContext,
  selector: ReprocessSelector,
  options: ReprocessOptions,
): Promise<ReprocessSummary> {
  await checkSelection(context.prisma, selector);
  const selected = await context.prisma.declaration.findMany({
    where: selectorWhere(selector),
    select: { id: true, status: true },
    orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
  });
  const progress: ReprocessProgress = { total: selected.length, done: 0, changed: 0, unchanged: 0, failed: 0, newlyFailed: 0, failedBefore: 0 };
  const declarations: DeclarationReprocessResult[] = [];
  let interrupted = false;
  options.onProgress?.({ ...progress });

  for (const { id, status } of selected) {
    if (options.shouldStop?.()) {
      interrupted = true;
      break;
    }
    const result = await reprocessOne(context, id, options.dryRun, status === 'failed');
    declarations.push(result);
    progress.done += 1;
    progress[result.status] += 1;
    if (result.status === 'failed') progress[result.failedBefore ? 'failedBefore' : 'newlyFailed'] += 1;
    options.onProgress?.({ ...progress });
  }
  return { ...progress, dryRun: options.dryRun, interrupted, declarations };
}

/**
 * Raises UnknownSelectionError when the supplier, business system or declaration that a selector
 * names is not stored, so that a typing error is not taken for a selection without declarations.
 */
export async function checkSelection(prisma: PrismaClient, selector: ReprocessSelector): Promise<void> {
  if ('supplierCode' in selector) {
    const party = await prisma.party.findUnique({ where: { code: selector.supplierCode }, select: { kind: true } });
    if (party?.kind === 'supplier') return;
    const found = party
      ? `Party ${selector.supplierCode} is ${PARTY_KIND_IN_WORDS[fromDbPartyKind(party.kind)]}, not a supplier`
      : `No supplier has the code ${selector.supplierCode}`;
    throw new UnknownSelectionError(`${found}. List the suppliers and their codes with \`avvik suppliers list\`.`);
  }
  if ('businessSystemId' in selector) {
    const system = await prisma.businessSystem.findUnique({ where: { id: selector.businessSystemId }, select: { id: true } });
    if (system) return;
    throw new UnknownSelectionError(
      `No business system has the id ${selector.businessSystemId}. List the suppliers' business systems and their ids with \`avvik suppliers list\`.`,
    );
  }
  if ('declarationId' in selector) {
    const declaration = await prisma.declaration.findUnique({ where: { id: selector.declarationId }, select: { id: true } });
    if (declaration) return;
    throw new UnknownSelectionError(
      `No declaration has the id ${selector.declarationId}. \`avvik ingest --json FILE\` prints the id of the declaration stored for a file, without storing it twice.`,
    );
  }
}

/** A selector names a supplier, business system or declaration that is not stored. */
export class UnknownSelectionError extends Error {
  override readonly name = 'UnknownSelectionError';
}

/**
 * Re-processes one declaration. A file the current parser cannot read is reported and nothing
 * stored changes. `failedBefore` is true when the declaration was stored as failed.
 */
export async function reprocessOne(
  context: ReprocessContext,
  declarationId: string,
  dryRun: boolean,
  failedBefore: boolean,
): Promise<DeclarationReprocessResult> {
  const declaration = await context.prisma.declaration.findUniqueOrThrow({
    where: { id: declarationId },
    select: { fileName: true, sizeBytes: true, file: { select: { content: true } } },
  });
  const { fileName } = declaration;
  const log = context.log.child({ declarationId });
  if (!declaration.file) {
    return {
      declarationId,
      fileName,
      status: 'failed',
      error: { code: 'file-missing', message: `Declaration ${declarationId} has no stored file.` },
      failedBefore,
    };
  }

  try {
    checkSize(fileName, declaration.sizeBytes, context.maxBytes);
    const processed = await parseAndPropose(context, declaration.file.content, fileName);
    const outcome = dryRun
      ? await previewProcessedDeclaration(context.prisma, declarationId, processed)
      : await storeReprocessedDeclaration(context.prisma, declarationId, processed);
    if (!dryRun && outcome.changed) log.info({ changes: countChanges(outcome) }, 'declaration re-processed');
    return { declarationId, fileName, status: outcome.changed ? 'changed' : 'unchanged', ...outcome };
  } catch (thrown) {
    const error = asInvalidData(fileName, thrown) ?? thrown;
    if (isDeclarationFileError(error)) {
      log.warn({ code: error.code }, 'declaration could not be re-processed; stored state kept');
      return { declarationId, fileName, status: 'failed', error: { code: error.code, message: error.message }, failedBefore };
    }
    log.error({ err: error }, 're-processing failed; stored state kept');
    return { declarationId, fileName, status: 'failed', error: { code: 'processing-failed', message: (error as Error).message }, failedBefore };
  }
}

/** Counts each kind of change, for logs and summaries. */
export function countChanges(outcome: StoreOutcome) {
  const { changes } = outcome;
  return {
    newCandidates: changes.newCandidates.length,
    changedCandidates: changes.changedCandidates.length,
    vanishedCandidates: changes.vanishedCandidates.length,
    changedProposals: changes.changedProposals.length,
    keptProposals: changes.keptProposals.length,
    suggestions: changes.suggestions.length,
  };
}
