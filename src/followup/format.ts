/** Text renderings of the follow-up report and of one party's digest, for people. */
import type { FollowupReport, OverdueDeviation, PartyRef } from './overdue.ts';

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

/**
 * Formats the start of one party's plain-text digest: a title and the count. The items follow from
 * formatDigestItem, and the message ends with a line feed.
 */
export function formatDigestHeader(party: PartyRef, count: number, today: string): string {
  const lines = [
    `Overdue deviations for ${party.name} (${party.code}) on ${today}`,
    '',
    `${count} deviation${plural(count)} ${count === 1 ? 'waits' : 'wait'} on you past the time limit or due date. ` +
      'Time counts in Swedish working days; weekends and public holidays do not count.',
  ];
  return lines.join('\n');
}

/** Formats the deviation at 0-based `index` of a plain-text digest, preceded by a blank line. */
export function formatDigestItem(item: OverdueDeviation, index: number): string {
  const lines = ['', `${index + 1}. ${item.title}`];
  lines.push(`   Deviation ${item.id}, status ${item.status}`);
  lines.push(`   ${capitalise(describeLateness(item))}`);
  const where = [item.businessSystem?.name, item.municipality, item.supplierCode].filter(Boolean).join(', ');
  if (where) lines.push(`   Concerns ${where}`);
  lines.push(`   Contact: ${describeContact(item)}`);
  return `\n${lines.join('\n')}`;
}

function describeContact(item: OverdueDeviation): string {
  if (!item.contact) return 'not shown to your party';
  const parts = [item.contact.name, item.contact.phone, item.contact.email].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'none given';
}

const plural = (count: number | null) => (count === 1 ? '' : 's');
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
