/** `avvik rules report`: how the rules' proposals compare with the owners administrators set. */
import { InvalidArgumentError, type Command } from 'commander';
import { openAppContext } from './context.ts';

export function registerRulesCommand(program: Command): void {
  const rules = program.command('rules').description('Inspect the ownership rules.');
  rules
    .command('report')
    .description('Compare the proposed owners with the owners administrators confirmed or assigned, per rule.')
    .option('--json', 'print the report as JSON instead of text')
    .option('--rule-set <version...>', 'only proposals made by these rule-set versions', collectRuleSetVersion)
    .addHelpText(
      'after',
      `
A rule counts as fired for every deviation whose proposal lists it. The proposal is confirmed
when the owner equals the proposed area and party, overruled when a person chose another owner,
and counted apart when the rules left the deviation to the administration.

Exits with status 1, and prints the known versions, when a --rule-set version made no stored
proposal and is not the version of the current rule set (AVVIK_RULES_FILE).

Examples:
  $ npx avvik rules report
  $ npx avvik rules report --json --rule-set 2026.12.2`,
    )
    .action(async (options: { json?: boolean; ruleSet?: string[] }) => {
      const context = await openAppContext();
      try {
        const [{ buildRulesReport }, { formatRulesReport }] = await Promise.all([import('../rules/report.ts'), import('../rules/report-format.ts')]);
        const report = await buildRulesReport(context.database.prisma, {
          ruleSetVersions: options.ruleSet,
          currentRuleSetVersion: context.ruleSet.version,
        });
        console.log(options.json ? JSON.stringify(report, null, 2) : formatRulesReport(report));
      } finally {
        await context.close();
      }
    });
}

/** Adds one --rule-set value to the earlier ones, rejecting an empty version before any database work. */
function collectRuleSetVersion(value: string, previous: string[] | undefined): string[] {
  if (value.trim() === '') throw new InvalidArgumentError('It must not be empty. Give a rule-set version such as 2026.12.2.');
  return [...(previous ?? []), value];
}
