/** Text renderings of the follow-up report and of one party's digest, for people. */
import type { FollowupReport, OverdueDeviation, OverdueGroup } from './overdue.ts';

/** Describes how late one deviation is, in one line. */
export function describeLateness(item: OverdueDeviation): string {
  if (item.reason === 'due-date') {
    return `due ${item.deadline}, ${item.workingDaysOver} working day${plural(item.workingDaysOver)} over`;
  }
  return (
    `since ${item.since}, ${item.workingDaysUsed} of ${item.limitWorkingDays} working days used, ` +
    `${item.workingDaysOver} over (deadline ${item.deadline})`
  );
}

/** Formats the report as one block per party, one line per deviation. */
export function formatFollowupReport(report: FollowupReport): string {
  if (report.total === 0) return `No overdue deviations on ${report.today}.`;
  const lines = [`${report.total} overdue deviation${plural(report.total)} on ${report.today}, counted in Swedish working days.`];
  for (const group of report.groups) {
    lines.push('', `${group.party.name} (${group.party.code}, ${group.party.kind}): ${group.items.length}`);
    for (const item of group.items) {
      lines.push(`  ${item.id}  ${item.status.padEnd(22)}  ${describeLateness(item)}`);
      lines.push(`    ${item.title}`);
    }
  }
  return lines.join('\n');
}

/** Formats one party's digest as a plain-text message. */
export function formatDigest(group: OverdueGroup, today: string): string {
  const count = group.items.length;
  const lines = [
    `Overdue deviations for ${group.party.name} (${group.party.code}) on ${today}`,
    '',
    `${count} deviation${plural(count)} ${count === 1 ? 'waits' : 'wait'} on you past the time limit or due date. ` +
      'Time counts in Swedish working days; weekends and public holidays do not count.',
  ];
  group.items.forEach((item, index) => {
    lines.push('', `${index + 1}. ${item.title}`);
    lines.push(`   Deviation ${item.id}, status ${item.status}`);
    lines.push(`   ${capitalise(describeLateness(item))}`);
    const where = [item.businessSystem?.name, item.municipality, item.supplierCode].filter(Boolean).join(', ');
    if (where) lines.push(`   Concerns ${where}`);
    lines.push(`   Contact: ${describeContact(item)}`);
  });
  return `${lines.join('\n')}\n`;
}

function describeContact(item: OverdueDeviation): string {
  if (!item.contact) return 'not shown to your party';
  const parts = [item.contact.name, item.contact.phone, item.contact.email].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'none given';
}

const plural = (count: number | null) => (count === 1 ? '' : 's');
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
