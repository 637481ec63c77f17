// The deviation list with filters, sorting and pagination. The filters live in the address, so
// the back button and a shared link restore them.
import { api, readDeviationPage } from '../api.js';
import { fill, freeTextCell, h, table } from '../dom.js';
import { filterInput, filterSelect, filterState, labelledField, rejectedFiltersAlert } from '../filters.js';
import { AREAS, formatDate, ownerText, STATUSES, statusBadge } from '../format.js';
import { t } from '../i18n.js';

const PAGE_SIZE = 25;
/** The text key of each filter's label, by the filter's name in the address and the API. */
const FILTER_LABEL_KEYS = {
  status: 'list.status',
  area: 'list.area',
  party: 'list.party',
  system: 'list.system',
  municipality: 'list.municipality',
  overdue: 'list.overdue',
  q: 'list.q',
  sort: 'list.sort',
};
const FILTER_NAMES = Object.keys(FILTER_LABEL_KEYS);
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
  const labels = Object.fromEntries(Object.entries(FILTER_LABEL_KEYS).map(([name, key]) => [name, t(key)]));
  const state = filterState(filters, page.error, 'result-count');
  const alert = page.error ? rejectedFiltersAlert('result-count', page.error, state, labels) : null;
  fill(main, 
    h('h1', {}, t('list.title')),
    filterForm(state, labels, systems, (values) => navigate(hashFor(values))),
    alert ? alert.element : h('p', { id: 'result-count' }, t('list.showing', { from, to, total: page.total })),
    alert ? null : page.items.length === 0
      ? h('p', {}, t('list.empty'))
      : table(
          null,
          [t('field.title'), t('deviation.requirement'), t('deviation.status'), t('deviation.owner'), t('deviation.system'), t('deviation.municipality'), t('deviation.dueDate'), t('deviation.created')],
          page.items.map((deviation) =>
            h(
              'tr',
              {},
              freeTextCell(h('a', { href: `#/deviations/${deviation.id}` }, deviation.title)),
              h('td', {}, deviation.requirementId ?? '–'),
              h('td', {}, statusBadge(deviation.status)),
              h('td', {}, ownerText(deviation), deviation.owner ? null : h('span', { class: 'hint' }, ` (${t('deviation.proposal').toLowerCase()})`)),
              freeTextCell(deviation.businessSystem?.name),
              freeTextCell(deviation.municipality),
              h('td', {}, deviation.dueDate ?? '–', deviation.overdue ? [' ', h('strong', { class: 'overdue' }, t('deviation.overdue'))] : null),
              h('td', {}, formatDate(deviation.createdAt)),
            ),
          ),
          { class: 'list', 'aria-describedby': 'result-count' },
        ),
    pagination(page, offset, (newOffset) => hashFor(filters, newOffset)),
  );
  announce(alert ? alert.text : t('list.loaded', { total: page.total }));
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

function filterForm(state, labels, systems, submit) {
  const form = h(
    'form',
    { class: 'filters card', role: 'search', 'aria-labelledby': 'filter-heading' },
    h('h2', { id: 'filter-heading' }, t('list.filters')),
    h(
      'div',
      { class: 'filter-grid' },
      labelledField('filter-status', labels.status, filterSelect(state, 'filter-status', 'status', [['', t('app.all')], ...STATUSES.map((status) => [status, t(`status.${status}`)])])),
      labelledField('filter-area', labels.area, filterSelect(state, 'filter-area', 'area', [['', t('app.all')], ...AREAS.map((area) => [area, t(`area.${area}`)])])),
      labelledField('filter-party', labels.party, filterInput(state, 'filter-party', 'party')),
      labelledField(
        'filter-system',
        labels.system,
        filterSelect(state, 'filter-system', 'system', [['', t('app.all')], ...[...systems].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => [id, name])]),
      ),
      labelledField('filter-municipality', labels.municipality, filterInput(state, 'filter-municipality', 'municipality')),
      labelledField('filter-overdue', labels.overdue, filterSelect(state, 'filter-overdue', 'overdue', [['', t('app.all')], ['true', t('list.overdueYes')], ['false', t('list.overdueNo')]])),
      labelledField('filter-q', labels.q, filterInput(state, 'filter-q', 'q', { type: 'search' })),
      labelledField('filter-sort', labels.sort, filterSelect(state, 'filter-sort', 'sort', SORTS.map(([value, key]) => [value, t(key)]))),
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
