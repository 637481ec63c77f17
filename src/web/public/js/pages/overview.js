// The administration's overview: counts per status, area and party, new deviations waiting too
// long for triage, and an inline SVG chart of deviations opened and closed per week.
import { api } from '../api.js';
import { fill, freeTextCell, h, svg, table } from '../dom.js';
import { formatDate, MASKED_CONTACT, ownerText } from '../format.js';
import { t } from '../i18n.js';

const WEEKS = 12;

export async function renderOverview(main) {
  // The server takes the triage limit from its follow-up configuration.
  const stats = await api('/api/stats', { query: { weeks: WEEKS } });
  fill(main, 
    h('h1', {}, t('overview.title')),
    h('p', { class: 'lead' }, t('overview.total', { total: stats.total })),
    h(
      'div',
      { class: 'columns three' },
      countCard('by-status', t('overview.byStatus'), stats.byStatus, (key) => t(`status.${key}`), (key) => `#/deviations?status=${key}`),
      countCard('by-area', t('overview.byArea'), stats.byArea, (key) => t(`area.${key}`), (key) => `#/deviations?area=${key}`),
      countCard('by-party', t('overview.byParty'), stats.byParty, (key) => (key === 'none' ? t('overview.noParty') : key), partyLink),
    ),
    triageCard(stats.triage),
    weeklyCard(stats.weekly),
  );
}

function countCard(id, title, entries, label, link) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, title),
    table(
      null,
      [t('overview.key'), t('overview.count')],
      entries.map((entry) => {
        const href = link(entry.key);
        return [href ? h('a', { href }, label(entry.key)) : label(entry.key), String(entry.count)];
      }),
      { class: 'counts' },
    ),
  );
}

function triageCard(triage) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'triage-waiting' },
    h('h2', { id: 'triage-waiting' }, t('overview.triage')),
    h('p', {}, t('overview.triageIntro', { days: triage.limitWorkingDays })),
    h('p', { class: triage.waitingCount > 0 ? 'warning' : null }, triage.waitingCount > 0 ? t('overview.triageCount', { count: triage.waitingCount }) : t('overview.triageNone')),
    triage.oldest.length > 0
      ? table(
          null,
          [t('field.title'), t('deviation.created'), t('overview.waited'), t('deviation.proposal')],
          triage.oldest.map((deviation) => [
            freeTextCell(h('a', { href: `#/deviations/${deviation.id}` }, deviation.title)),
            formatDate(deviation.createdAt),
            String(deviation.workingDaysWaiting),
            ownerText(deviation),
          ]),
        )
      : null,
  );
}

const CHART = { width: 720, height: 280, left: 44, right: 16, top: 16, bottom: 48 };

/** Draws a grouped bar chart as inline SVG, with the same numbers in a table for screen readers and printing. */
function weeklyCard(weekly) {
  const titleId = 'weekly-chart-title';
  const descId = 'weekly-chart-desc';
  const max = Math.max(1, ...weekly.map((week) => Math.max(week.opened, week.closed)));
  const plotWidth = CHART.width - CHART.left - CHART.right;
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const slot = plotWidth / weekly.length;
  const barWidth = Math.max(4, slot / 2 - 4);
  const y = (value) => CHART.top + plotHeight - (value / max) * plotHeight;
  const ticks = [...new Set([0, Math.round(max / 2), max])];

  const chart = svg(
    'svg',
    { viewBox: `0 0 ${CHART.width} ${CHART.height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'chart' },
    svg('title', { id: titleId }, t('overview.weekly')),
    svg('desc', { id: descId }, t('overview.chartDesc', { weeks: weekly.length })),
    ticks.map((tick) => [
      svg('line', { x1: CHART.left, x2: CHART.width - CHART.right, y1: y(tick), y2: y(tick), class: 'grid' }),
      svg('text', { x: CHART.left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'axis' }, String(tick)),
    ]),
    weekly.map((week, index) => {
      const x = CHART.left + index * slot + slot / 2;
      return svg(
        'g',
        {},
        svg('rect', { x: x - barWidth - 1, y: y(week.opened), width: barWidth, height: Math.max(0, CHART.top + plotHeight - y(week.opened)), class: 'bar-opened' }),
        svg('rect', { x: x + 1, y: y(week.closed), width: barWidth, height: Math.max(0, CHART.top + plotHeight - y(week.closed)), class: 'bar-closed' }),
        svg('text', { x, y: CHART.height - CHART.bottom + 16, 'text-anchor': 'middle', class: 'axis' }, week.week.slice(5)),
      );
    }),
    svg('rect', { x: CHART.left, y: CHART.height - 18, width: 12, height: 12, class: 'bar-opened' }),
    svg('text', { x: CHART.left + 18, y: CHART.height - 8, class: 'axis' }, t('overview.opened')),
    svg('rect', { x: CHART.left + 120, y: CHART.height - 18, width: 12, height: 12, class: 'bar-closed' }),
    svg('text', { x: CHART.left + 138, y: CHART.height - 8, class: 'axis' }, t('overview.closed')),
  );

  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'weekly-heading' },
    h('h2', { id: 'weekly-heading' }, t('overview.weekly')),
    h('figure', {}, chart),
    h(
      'details',
      {},
      h('summary', {}, t('overview.chartTable')),
      table(null, [t('overview.week'), t('overview.opened'), t('overview.closed')], weekly.map((week) => [`${week.week} (${week.start})`, String(week.opened), String(week.closed)])),
    ),
  );
}

/**
 * Links a party's count to the list filtered by that party. A code that the API masked, such as
 * a sole trader's `ORG-[contact hidden]`, matches no party, so its count gets no link.
 */
function partyLink(key) {
  if (key === 'none' || key.includes(MASKED_CONTACT)) return null;
  return `#/deviations?party=${encodeURIComponent(key)}`;
}
