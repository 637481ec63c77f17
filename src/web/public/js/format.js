// Labels and formats shared by the pages.
import { h } from './dom.js';
import { locale, t } from './i18n.js';

export const STATUSES = [
  'new',
  'in-dialogue',
  'will-fix',
  'wont-fix',
  'postponed',
  'rejected-not-deviation',
  'rejected-duplicate',
  'fixed',
  'closed',
];
export const AREAS = ['business-system', 'base-service', 'ssbtek', 'unassigned'];

/** The text that the API puts in place of contact details, and of codes that contain them, that the caller may not read. */
export const MASKED_CONTACT = '[contact hidden]';

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, t(`status.${status}`));
}

export function formatDate(iso) {
  if (!iso) return t('app.none');
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(new Date(iso));
}

export function formatDateTime(iso) {
  if (!iso) return t('app.none');
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Stockholm' }).format(new Date(iso));
}

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatSource(source) {
  if (!source) return t('app.none');
  return 'sheet' in source ? t('deviation.sourceSheet', source) : t('deviation.sourcePage', source);
}

/** The owner once set, else the proposal, as "Area: PARTY". */
export function ownerText(deviation) {
  const owner = deviation.owner;
  if (owner) return `${t(`area.${owner.area}`)}: ${owner.partyCode}`;
  const proposal = deviation.proposal;
  return `${t(`area.${proposal.area}`)}: ${proposal.partyCode ?? t('app.none')}`;
}

export function percent(fraction) {
  return `${Math.round(fraction * 100)} %`;
}
