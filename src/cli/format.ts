import type { DeclarationResult } from '../declarations/result.ts';

/** Formats one declaration as a readable summary and table, for people at a terminal. */
export function formatDeclarationResult(result: DeclarationResult): string {
  const lines = [`${result.file}: ${result.status}${result.declarationId ? ` (declaration ${result.declarationId})` : ''}`];
  if (result.error) {
    lines.push(`  error ${result.error.code}: ${result.error.message}`);
    return lines.join('\n');
  }

  const cover = result.cover;
  if (cover) {
    const facts = [cover.supplier, [cover.system, cover.version].filter(Boolean).join(' '), cover.municipality, cover.date];
    lines.push(`  ${facts.filter(Boolean).join(' · ') || '(no cover facts found)'}`);
    const contact = cover.contact.name || cover.contact.phone || cover.contact.email ? 'given' : 'missing';
    lines.push(`  contact details: ${contact}`);
  }
  const counts = result.requirements;
  if (counts) {
    lines.push(
      `  requirements: ${counts.total} in all, ${counts.met} met, ${counts.notMet} not met, ` +
        `${counts.partiallyMet} partially met, ${counts.notApplicable} not applicable, ${counts.unanswered} unanswered`,
    );
  }
  lines.push(`  deviations: ${result.deviations.length}`);
  if (result.deviations.length > 0) lines.push(formatDeviationTable(result));
  return lines.join('\n');
}

function formatSource(source: DeclarationResult['deviations'][number]['source']): string {
  if (!source) return '-';
  if ('sheet' in source) return `${source.sheet}!${source.row}`;
  return `p${source.page} l${source.line}`;
}

function formatDeviationTable(result: DeclarationResult): string {
  const header = ['requirement', 'answer', 'area', 'party', 'conf.', 'where', 'title'];
  const rows = result.deviations.map((deviation) => [
    deviation.requirementId ?? '-',
    deviation.answer,
    deviation.proposal.area + (deviation.proposal.newRequirement ? ' (new req.)' : ''),
    deviation.proposal.partyCode ?? deviation.proposal.partyKind,
    deviation.proposal.confidence.toFixed(2),
    formatSource(deviation.source),
    deviation.title.length > 60 ? `${deviation.title.slice(0, 59)}…` : deviation.title,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const render = (cells: string[]) => `  ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}`;
  return [render(header), ...rows.map(render)].join('\n');
}
