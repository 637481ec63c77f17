import type { DeclarationResult } from '../declarations/result.ts';
import { maxOf } from '../ingest/arrays.ts';
import type { CoverFacts } from '../ingest/model.ts';

/** Formats one declaration as a readable summary and table, for people at a terminal. */
export function formatDeclarationResult(result: DeclarationResult): string {
  const stored = result.storedAs ? `, the same content as '${result.storedAs}' stored before` : '';
  const lines = [`${result.file}: ${result.status}${result.declarationId ? ` (declaration ${result.declarationId}${stored})` : ''}`];
  if (result.error) {
    lines.push(`  error ${result.error.code}: ${result.error.message}`);
    return lines.join('\n');
  }

  if (result.cover) lines.push(...formatCover(result.cover));
  const counts = result.requirements;
  if (counts) {
    lines.push(
      `  requirements: ${counts.total} in all, ${counts.met} met, ${counts.notMet} not met, ` +
        `${counts.partiallyMet} partially met, ${counts.notApplicable} not applicable, ${counts.unanswered} unanswered`,
    );
  }
  lines.push(...formatWarnings(result.warnings));
  lines.push(`  deviations: ${result.deviations.length}`);
  if (result.deviations.length > 0) lines.push(formatDeviationTable(result));
  return lines.join('\n');
}

/** The maximum number of warnings the summary prints. `--json` gives them all. */
const WARNINGS_SHOWN = 5;

/** Formats the cover facts as one line, and whether contact details were given without printing them. */
export function formatCover(cover: Pick<CoverFacts, 'supplier' | 'system' | 'version' | 'municipality' | 'date' | 'contact'>): string[] {
  const facts = [cover.supplier, [cover.system, cover.version].filter(Boolean).join(' '), cover.municipality, cover.date];
  const contact = cover.contact.name || cover.contact.phone || cover.contact.email ? 'given' : 'missing';
  return [`  ${facts.filter(Boolean).join(' · ') || '(no cover facts found)'}`, `  contact details: ${contact}`];
}

export function formatWarnings(warnings: readonly string[]): string[] {
  if (warnings.length === 0) return [];
  const lines = [`  warnings: ${warnings.length}`, ...warnings.slice(0, WARNINGS_SHOWN).map((warning) => `    - ${cell(warning, 600)}`)];
  if (warnings.length > WARNINGS_SHOWN) lines.push(`    … and ${warnings.length - WARNINGS_SHOWN} more; --json lists them all`);
  return lines;
}

function formatSource(source: DeclarationResult['deviations'][number]['source']): string {
  if (!source) return '-';
  if ('sheet' in source) return `${source.sheet}!${source.row}`;
  return `p${source.page} l${source.line}`;
}

/**
 * Fits a value into one table cell: line breaks and tabs become spaces, and text longer than
 * `width` characters ends in an ellipsis, so that an odd requirement id or sheet name cannot
 * stretch or break the table. Wide characters such as CJK still take two columns each. The
 * stored values are unchanged.
 */
function cell(text: string, width: number): string {
  const flat = text.replace(/[\r\n\t\v\f\u0085\u2028\u2029]+/g, ' ');
  if (flat.length <= width) return flat;
  // Cut between characters, never inside a UTF-16 pair such as an emoji.
  const characters = Array.from(flat);
  return characters.length > width ? `${characters.slice(0, width - 1).join('')}…` : flat;
}

function formatDeviationTable(result: DeclarationResult): string {
  const header = ['requirement', 'answer', 'area', 'party', 'conf.', 'where', 'title'];
  const rows = result.deviations.map((deviation) => [
    cell(deviation.requirementId ?? '-', 24),
    deviation.answer,
    deviation.proposal.area + (deviation.proposal.newRequirement ? ' (new req.)' : ''),
    deviation.proposal.partyCode ?? deviation.proposal.partyKind,
    deviation.proposal.confidence.toFixed(2),
    cell(formatSource(deviation.source), 40),
    cell(deviation.title, 60),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, maxOf(rows.map((row) => row[column]!.length))));
  const render = (cells: string[]) => `  ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}`;
  return [render(header), ...rows.map(render)].join('\n');
}
