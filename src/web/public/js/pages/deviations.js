// The deviation list with filters, sorting and pagination. The filters live in the address, so
// the back button and a shared link restore them.
import { api, readDeviationPage } from '../api.js';
import { h, table, fill } from '../dom.js';
import { AREAS, formatDate, ownerText, STATUSES, statusBadge } from '../format.js';
import { t } from '../i18n.js';

const PAGE_SIZE = 25;
const FILTER_NAMES = ['status', 'area', 'party', 'system', 'municipality', 'overdue', 'q', 'sort'];
const SORTS = [
  ['', 'list.sortNewest'],
  ['createdAt', 'list.sortOldest'],
  ['-updatedAt', 'list.sortUpdated'],
  ['dueDate', 'list.sortDue'],
];

export async function renderDeviations(main, { query, user, navigate, announce }) {
  const filters = Object.fromEntries(FILTER_NAMES.map((name) => [name, query.get(name) ?? '']));
  const offset = Math.max(0, Number.parseInt(query.get('offset') ?? '0', 10) || 0);
  const [page, systems] = await Promise.all([
    readDeviationPage({ ...filters, limit: PAGE_SIZE, offset }),
    readSystems(user),
  ]);
  for (const deviation of page.items) {
    if (deviation.businessSystem) systems.set(deviation.businessSystem.id, deviation.businessSystem.name);
  }

  const hashFor = (values, newOffset = 0) => {
    const params = new URLSearchParams(Object.entries(values).filter(([, value]) => value !== ''));
    if (newOffset > 0) params.set('offset', String(newOffset));
    const text = params.toString();
    return text ? `#/deviations?${text}` : '#/deviations';
  };

  const from = page.total === 0 ? 0 : offset + 1;
  const to = offset + page.items.length;
  fill(main, 
    h('h1', {}, t('list.title')),
    filterForm(filters, systems, (values) => navigate(hashFor(values))),
    page.error
      ? h('p', { id: 'result-count', class: 'error', role: 'alert' }, page.error)
      : h('p', { id: 'result-count' }, t('list.showing', { from, to, total: page.total })),
    page.error ? null : page.items.length === 0
      ? h('p', {}, t('list.empty'))
      : table(
          null,
          [t('field.title'), t('deviation.requirement'), t('deviation.status'), t('deviation.owner'), t('deviation.system'), t('deviation.municipality'), t('deviation.dueDate'), t('deviation.created')],
          page.items.map((deviation) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: `#/deviations/${deviation.id}` }, deviation.title)),
              h('td', {}, deviation.requirementId ?? '–'),
              h('td', {}, statusBadge(deviation.status)),
              h('td', {}, ownerText(deviation), deviation.owner ? null : h('span', { class: 'hint' }, ` (${t('deviation.proposal').toLowerCase()})`)),
              h('td', {}, deviation.businessSystem?.name ?? '–'),
              h('td', {}, deviation.municipality ?? '–'),
              h('td', {}, deviation.dueDate ?? '–', deviation.overdue ? [' ', h('strong', { class: 'overdue' }, t('deviation.overdue'))] : null),
              h('td', {}, formatDate(deviation.createdAt)),
            ),
          ),
          { class: 'list', 'aria-describedby': 'result-count' },
        ),
    pagination(page, offset, (newOffset) => hashFor(filters, newOffset)),
  );
  announce(page.error ?? t('list.loaded', { total: page.total }));
}

/** The business systems the user can filter on, from the declarations it may see. */
async function readSystems(user) {
  const systems = new Map();
  if (!['administration', 'supplier', 'municipality'].includes(user.role)) return systems;
  const declarations = await api('/api/declarations', { query: { limit: 500 } });
  for (const declaration of declarations.items) {
    if (declaration.businessSystem) systems.set(declaration.businessSystem.id, declaration.businessSystem.name);
  }
  return systems;
}

function field(id, label, control) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function select(id, name, current, options) {
  return h(
    'select',
    { id, name },
    options.map(([value, label]) => h('option', { value, selected: value === current }, label)),
  );
}

function filterForm(filters, systems, submit) {
  const form = h(
    'form',
    { class: 'filters card', role: 'search', 'aria-labelledby': 'filter-heading' },
    h('h2', { id: 'filter-heading' }, t('list.filters')),
    h(
      'div',
      { class: 'filter-grid' },
      field('filter-status', t('list.status'), select('filter-status', 'status', filters.status, [['', t('app.all')], ...STATUSES.map((status) => [status, t(`status.${status}`)])])),
      field('filter-area', t('list.area'), select('filter-area', 'area', filters.area, [['', t('app.all')], ...AREAS.map((area) => [area, t(`area.${area}`)])])),
      field('filter-party', t('list.party'), h('input', { id: 'filter-party', name: 'party', value: filters.party, autocomplete: 'off' })),
      field(
        'filter-system',
        t('list.system'),
        select('filter-system', 'system', filters.system, [['', t('app.all')], ...[...systems].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => [id, name])]),
      ),
      field('filter-municipality', t('list.municipality'), h('input', { id: 'filter-municipality', name: 'municipality', value: filters.municipality, autocomplete: 'off' })),
      field('filter-overdue', t('list.overdue'), select('filter-overdue', 'overdue', filters.overdue, [['', t('app.all')], ['true', t('list.overdueYes')], ['false', t('list.overdueNo')]])),
      field('filter-q', t('list.q'), h('input', { id: 'filter-q', name: 'q', type: 'search', value: filters.q, autocomplete: 'off' })),
      field('filter-sort', t('list.sort'), select('filter-sort', 'sort', filters.sort, SORTS.map(([value, key]) => [value, t(key)]))),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('list.apply')),
      h('a', { href: '#/deviations', class: 'button-link' }, t('list.reset')),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = Object.fromEntries([...new FormData(form)].map(([name, value]) => [name, String(value).trim()]));
    submit(values);
  });
  return form;
}

function pagination(page, offset, hashFor) {
  if (page.total <= PAGE_SIZE) return null;
  const previous = offset > 0 ? h('a', { href: hashFor(Math.max(0, offset - PAGE_SIZE)), rel: 'prev' }, t('list.previous')) : null;
  const next = offset + PAGE_SIZE < page.total ? h('a', { href: hashFor(offset + PAGE_SIZE), rel: 'next' }, t('list.next')) : null;
  return h('nav', { class: 'pagination', 'aria-label': t('list.pages') }, previous, ' ', next);
}
