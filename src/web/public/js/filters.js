// The parts of a filter form that the deviation list and the triage queue share, and the alert
// that names each filter the API rejected.
import { h } from './dom.js';
import { AREAS, STATUSES } from './format.js';
import { currentLanguage, hasText, t } from './i18n.js';

/** The values of the filters that take a comma-separated list, so that the alert can name only the values the API did not know. */
const LISTED_VALUES = { status: STATUSES, area: AREAS };

/** Values longer than this are cut short in the alert, so that a long search text does not fill it. */
const MAX_QUOTED_LENGTH = 100;

/**
 * Collects what a filter form's controls show: `values` by filter name as sent to the API and,
 * after a 400 response, the names of the filters it rejected and the id of the alert that explains them.
 */
export function filterState(values, error, alertId) {
  const rejected = new Set((error?.fields ?? []).map((problem) => problem.field));
  return { values, rejected, alertId };
}

/** Returns the attributes that mark a rejected filter's control and tie it to the alert. */
function invalidAttributes(state, name) {
  return state.rejected.has(name) ? { 'aria-invalid': 'true', 'aria-describedby': state.alertId } : {};
}

export function labelledField(id, label, control) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

/**
 * Builds the select of a filter from [value, label] options. A value that no option lists, such
 * as a misspelt status in the address, gets an option of its own, so that the select shows what
 * was sent rather than the first option. That option is marked as not valid when the API
 * rejected the filter.
 */
export function filterSelect(state, id, name, options) {
  const current = state.values[name] ?? '';
  const listed = options.some(([value]) => value === current);
  const unlisted = [];
  if (current !== '' && !listed) {
    unlisted.push([current, state.rejected.has(name) ? t('filters.invalidOption', { value: current }) : current]);
  }
  return h(
    'select',
    { id, name, ...invalidAttributes(state, name) },
    [...unlisted, ...options].map(([value, label]) => h('option', { value, selected: value === current }, label)),
  );
}

/** Builds the text input of a filter. `attributes` adds attributes such as `type`. */
export function filterInput(state, id, name, attributes = {}) {
  return h('input', { id, name, value: state.values[name] ?? '', autocomplete: 'off', ...attributes, ...invalidAttributes(state, name) });
}

/**
 * Builds the alert for a filter request that the API rejected with 400, and returns it with its
 * text for the live region. The alert names each filter in the error's `fields` by its label from
 * `labels`, with the value sent. It adds the error's message where that explains more than the
 * list, as for an unknown party code. An error without fields, such as `search-too-broad`, shows
 * its message alone.
 */
export function rejectedFiltersAlert(id, error, state, labels) {
  const problems = error.fields;
  if (problems.length === 0) {
    return { element: h('div', { id, class: 'error', role: 'alert' }, h('p', {}, error.message)), text: error.message };
  }

  const heading = problems.length === 1 ? t('filters.rejectedOne') : t('filters.rejectedMany', { count: problems.length });
  const items = problems.map((problem) => describeProblem(problem, error.code, state.values, labels));
  // The message of invalid-request only lists the fields again, but other codes state the rule that failed.
  const explanation = error.code === 'invalid-request' ? null : error.message;
  const element = h(
    'div',
    { id, class: 'error', role: 'alert' },
    h('p', {}, heading),
    h('ul', {}, items.map((item) => h('li', {}, item))),
    explanation ? h('p', {}, explanation) : null,
  );
  return { element, text: [heading, ...items, explanation].filter(Boolean).join(' ') };
}

/** Describes one rejected filter as "Label: reason". */
function describeProblem(problem, code, values, labels) {
  const label = labels[problem.field] ?? problem.field;
  // The API's field messages are English and quote the value, so the English interface shows them as they are.
  if (currentLanguage() === 'en') return `${label}: ${problem.message}`;

  const value = unknownValues(problem.field, values[problem.field] ?? '');
  if (value === '') return `${label}: ${t('filters.reason.noValue')}`;
  const key = hasText(`filters.reason.${code}`) ? `filters.reason.${code}` : 'filters.reason.other';
  const quoted = value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}…` : value;
  return `${label}: ${t(key, { value: quoted })}`;
}

/**
 * Returns the values of a comma-separated filter that its list does not contain, such as `klar`
 * of `new,klar`, or the whole value for any other filter or when every part is known.
 */
function unknownValues(field, value) {
  const known = LISTED_VALUES[field];
  if (!known || !value.includes(',')) return value;
  const unknown = value.split(',').filter((part) => !known.includes(part.trim()));
  return unknown.length > 0 ? unknown.join(',') : value;
}
