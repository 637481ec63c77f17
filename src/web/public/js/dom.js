// Small DOM helpers. Text always goes in as text nodes, never as HTML, so values from the API
// cannot inject markup.

/**
 * Creates an element. `props` sets attributes; `on*` keys add event listeners, `class` sets the
 * class, and false, null or undefined values are left out. Children may be nodes, strings,
 * numbers, arrays or null.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'value' && 'value' in element) {
      element.value = value;
    } else if (key === 'checked' || key === 'selected') {
      element[key] = Boolean(value);
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes and children. */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) element.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** A definition list from [term, value] pairs; a null value shows a dash. */
export function facts(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value === null || value === undefined || value === '' ? '–' : value)]),
  );
}

/**
 * A table with a caption, column headers and rows of cells. A cell may be a node or text, which
 * goes in a plain `td`, or a `td` of its own such as one from freeTextCell.
 */
export function table(caption, headers, rows, props = {}) {
  return h(
    'table',
    props,
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
    h(
      'tbody',
      {},
      rows.map((row) => (row instanceof Node ? row : h('tr', {}, row.map(tableCell)))),
    ),
  );
}

function tableCell(cell) {
  return cell instanceof HTMLTableCellElement ? cell : h('td', {}, cell ?? '–');
}

/**
 * Builds a table cell of free text from a declaration or a user, such as a requirement text, a
 * title or a reason. Its class lets a word longer than the cell break anywhere (styles.css).
 */
export function freeTextCell(content) {
  return h('td', { class: 'free-text' }, content ?? '–');
}

/** Replaces an element's children; null and false children are left out. */
export function fill(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}
