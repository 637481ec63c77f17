/** The text rendering of the rule-quality report. */
import type { OwnerCount, RulesReport, RuleSetVersionCount } from './report.ts';

const describeVersions = (versions: RuleSetVersionCount[]) => versions.map((entry) => `${entry.version} (${entry.deviations})`).join(', ');

const describeOwners = (owners: OwnerCount[]) => owners.map((owner) => `${owner.area}/${owner.partyCode} ${owner.count}`).join(', ') || '-';

/** Formats the report as a summary and one table row per rule. */
export function formatRulesReport(report: RulesReport): string {
  const { totals } = report;
  const counted = new Set(report.ruleSetVersions.map((entry) => entry.version));
  // buildRulesReport rejects any other version without proposals, so this can only be the current one.
  const missing = report.requestedRuleSetVersions.filter((version) => !counted.has(version));
  const missingLine = missing.length > 0 ? `No deviation has a proposal from rule set${missing.length === 1 ? '' : 's'} ${missing.join(', ')} yet.` : null;
  if (totals.fired === 0) {
    if (!missingLine) return 'No deviations, so there are no proposals to compare.';
    if (report.storedRuleSetVersions.length === 0) return `${missingLine} No deviations are stored.`;
    return `${missingLine} Rule sets with proposals: ${describeVersions(report.storedRuleSetVersions)}.`;
  }
  const decided = totals.confirmed + totals.overruled + totals.decidedWithoutProposal;
  const lines = [
    ...(missingLine ? [missingLine] : []),
    `Proposals of ${totals.fired} deviations, rule sets ${describeVersions(report.ruleSetVersions)}.`,
    `Owners set for ${decided}: ${totals.confirmed} confirmed, ${totals.overruled} overruled, ` +
      `${totals.decidedWithoutProposal} set where the rules proposed none. ${totals.open} have no owner yet.`,
    `Overruled to: ${describeOwners(totals.overruledTo)}`,
    `Set without a proposal to: ${describeOwners(totals.decidedTo)}`,
    '',
  ];

  const header = ['rule', 'fired', 'confirmed', 'overruled', 'no proposal', 'open', 'overruled to'];
  const rows = report.rules.map((rule) => [
    rule.ruleId,
    String(rule.fired),
    String(rule.confirmed),
    String(rule.overruled),
    String(rule.decidedWithoutProposal),
    String(rule.open),
    describeOwners(rule.overruledTo),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  lines.push(render(header), ...rows.map(render));
  return lines.join('\n');
}
