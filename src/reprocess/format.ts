/** Text output of `avvik reprocess`: a progress line and a report per declaration. */
import { appendAll } from '../ingest/arrays.ts';
import type { DeclarationReprocessResult, ReprocessProgress, ReprocessSummary } from './reprocess.ts';

export function formatReprocessProgress(progress: ReprocessProgress): string {
  return `${progress.done}/${progress.total} declarations: ${progress.changed} changed, ${progress.unchanged} unchanged, ${progress.failed} failed`;
}

/** Formats the summary and, for each declaration that changed or failed, what changed. */
export function formatReprocessSummary(summary: ReprocessSummary): string {
  const verb = summary.dryRun ? 'would change' : 'changed';
  const lines = [
    `${summary.interrupted ? 'Re-processing stopped' : summary.dryRun ? 'Dry run finished; nothing was written' : 'Re-processing finished'}: ` +
      `${summary.done} of ${summary.total} declarations, ${summary.changed} ${verb}, ${summary.unchanged} unchanged, ${summary.failed} failed` +
      `${describeFailures(summary)}.`,
  ];
  if (summary.interrupted) lines.push('Run the same command again to continue; declarations already up to date are left unchanged.');
  for (const result of summary.declarations) {
    if (result.status === 'unchanged') continue;
    lines.push('');
    appendAll(lines, formatDeclaration(result));
  }
  return lines.join('\n');
}

function formatDeclaration(result: DeclarationReprocessResult): string[] {
  const heading = `${result.fileName} (${result.declarationId})`;
  if (result.status === 'failed') {
    const state = result.failedBefore ? 'failed again, as stored' : 'newly failed';
    return [heading, `  ${state}: ${result.error.code}: ${result.error.message}`];
  }

  const lines = [heading];
  const { changes } = result;
  const name = (requirementId: string | null, deviationId: string) => `${requirementId ?? '(no requirement id)'} [${deviationId}]`;
  for (const item of changes.newCandidates) {
    lines.push(`  new candidate ${name(item.requirementId, item.deviationId)}: ${item.existingDeviation ? 'occurrence of an existing deviation' : 'new deviation'}`);
  }
  for (const item of changes.changedCandidates) lines.push(`  changed candidate ${name(item.requirementId, item.deviationId)}: ${item.fields.join(', ')}`);
  for (const item of changes.vanishedCandidates) lines.push(`  vanished candidate ${name(item.requirementId, item.deviationId)}`);
  for (const item of changes.changedProposals) {
    lines.push(`  proposal ${name(item.requirementId, item.deviationId)}: ${describeOwner(item.from)} -> ${describeOwner(item.to)} (rules ${item.from.ruleSetVersion} -> ${item.to.ruleSetVersion})`);
  }
  for (const item of changes.keptProposals) {
    lines.push(`  proposal kept ${name(item.requirementId, item.deviationId)}: a person set the owner; the rules would now propose ${describeOwner(item.wouldBe)}`);
  }
  for (const item of changes.suggestions) lines.push(`  suggestion ${item.change}: ${item.kind} [${item.deviationId}]`);
  if (result.rowsReplaced) lines.push('  requirement rows replaced');
  if (result.coverChanged) lines.push('  cover facts updated');
  if (lines.length === 1) lines.push("  the declaration's versions, counts or parse report updated");
  return lines;
}

/** Splits the failures into new ones and those of declarations stored as failed, when there are any. */
function describeFailures(summary: ReprocessSummary): string {
  if (summary.failed === 0) return '';
  return ` (${summary.newlyFailed} newly, ${summary.failedBefore} stored as failed before)`;
}

function describeOwner(proposal: { area: string; partyCode: string | null; confidence: number }): string {
  return `${proposal.area} ${proposal.partyCode ?? '(no party)'} (${proposal.confidence})`;
}
