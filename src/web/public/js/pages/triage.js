// The administration's triage queue: new deviations, oldest first, one at a time beside the
// requirement rows around it, with keyboard shortcuts for every action.
import { api, readDeviationPage } from '../api.js';
import { askForNewRequirement, askForOwner, askToConfirm, contextSection, descriptionSection, deviationFacts, newRequirementReason, proposalSection } from '../components.js';
import { h, fill } from '../dom.js';
import { filterInput, filterSelect, filterState, labelledField, rejectedFiltersAlert } from '../filters.js';
import { AREAS } from '../format.js';
import { t } from '../i18n.js';

const PAGE_SIZE = 200;

export async function renderTriage(main, { query, announce, navigate, setShortcuts }) {
  const filters = { area: query.get('area') ?? '', party: query.get('party') ?? '', q: query.get('q') ?? '' };
  const listQuery = { status: 'new', sort: 'createdAt', limit: PAGE_SIZE, ...filters };
  const labels = { area: t('list.area'), party: t('list.party'), q: t('list.q') };
  const first = await readDeviationPage(listQuery);
  if (first.error) {
    const state = filterState(filters, first.error, 'triage-count');
    const alert = rejectedFiltersAlert('triage-count', first.error, state, labels);
    fill(main, h('h1', {}, t('triage.title')), filterForm(state, labels, navigate), alert.element);
    announce(alert.text);
    return;
  }

  const state = { queue: first.items, total: first.total, index: 0, busy: false };
  const counter = h('p', { id: 'triage-count' });
  const workspace = h('div', { id: 'triage-workspace' });

  fill(main, 
    h('h1', {}, t('triage.title')),
    h('p', {}, t('triage.intro')),
    filterForm(filterState(filters, null, null), labels, navigate),
    counter,
    workspace,
    shortcutHelp(),
    bulkSection(listQuery, announce, () => navigate(`#/triage?${new URLSearchParams(dropEmpty(filters))}`)),
  );

  const updateCounter = () => {
    counter.textContent = t('triage.count', { total: state.total });
  };

  /** Shows the deviation at state.index, and moves focus to its heading when `focus` is set. */
  const show = async (focus) => {
    if (state.queue.length === 0 && state.total > 0) {
      // The first page is used up but more new deviations wait: read the next oldest ones.
      const next = await api('/api/deviations', { query: listQuery });
      state.queue = next.items;
      state.total = next.total;
    }
    updateCounter();
    if (state.queue.length === 0) {
      fill(workspace, h('h2', { id: 'triage-current', tabindex: '-1' }, t('triage.empty')));
      if (focus) workspace.querySelector('h2').focus();
      return;
    }
    state.index = Math.max(0, Math.min(state.index, state.queue.length - 1));
    const summary = state.queue[state.index];
    const [deviation, context] = await Promise.all([
      api(`/api/deviations/${summary.id}`),
      api(`/api/deviations/${summary.id}/context`),
    ]);
    state.current = deviation;
    fill(workspace, renderCurrent(deviation, context, state, actions));
    if (focus) document.getElementById('triage-current').focus();
  };

  /** Removes the current deviation from the queue after an action and shows the next. */
  const advance = async (message) => {
    state.queue.splice(state.index, 1);
    state.total -= 1;
    await show(true);
    const next = state.queue[state.index];
    announce(next ? `${message} ${t('triage.nowShowing', { title: next.title })}` : `${message} ${t('triage.empty')}`);
  };

  const run = async (action) => {
    if (state.busy || !state.current) return;
    state.busy = true;
    try {
      await action(state.current);
    } catch (error) {
      announce(t('app.error', { message: error.message }));
      showError(workspace, error.message);
    } finally {
      state.busy = false;
    }
  };

  const actions = {
    confirm: () =>
      run(async (deviation) => {
        if (!deviation.proposal.partyCode) {
          announce(t('detail.noProposal'));
          showError(workspace, t('detail.noProposal'));
          return;
        }
        await confirmAndSend(deviation);
        await advance(t('triage.confirmed', { title: deviation.title }));
      }),
    assign: () =>
      run(async (deviation) => {
        const owner = await askForOwner(deviation);
        if (!owner) return;
        await api(`/api/deviations/${deviation.id}/assign`, { method: 'POST', body: owner });
        await sendToOwner(deviation.id, owner.reason);
        await advance(t('triage.assigned', { party: owner.partyCode, title: deviation.title }));
      }),
    flagNew: () =>
      run(async (deviation) => {
        const text = await askForNewRequirement();
        if (!text) return;
        await api(`/api/deviations/${deviation.id}/transition`, {
          method: 'POST',
          body: { status: 'rejected-not-deviation', reason: newRequirementReason(text) },
        });
        await advance(t('triage.flagged', { title: deviation.title }));
      }),
    skip: () =>
      run(async (deviation) => {
        // Skipping moves the deviation to the end of the queue, so it comes back on a later pass.
        state.queue.splice(state.index, 1);
        state.queue.push(deviation);
        if (state.index >= state.queue.length - 1 && state.queue.length > 1) state.index = 0;
        await show(true);
        announce(`${t('triage.skipped', { title: deviation.title })} ${t('triage.nowShowing', { title: state.current.title })}`);
      }),
    move: (step) =>
      run(async () => {
        if (state.queue.length === 0) return;
        state.index = (state.index + step + state.queue.length) % state.queue.length;
        await show(true);
        announce(t('triage.nowShowing', { title: state.current.title }));
      }),
  };

  setShortcuts((key) => {
    const handlers = {
      c: actions.confirm,
      a: actions.assign,
      n: actions.flagNew,
      s: actions.skip,
      j: () => actions.move(1),
      k: () => actions.move(-1),
    };
    const handler = handlers[key];
    if (!handler) return false;
    handler();
    return true;
  });

  await show(false);
  announce(t('triage.count', { total: state.total }));
}

/**
 * Triage ends a deviation's wait on the administration: once the owner is set, the deviation
 * moves to in-dialogue, where it waits on the owner. The reason is stored in Swedish, the
 * administration's working language, like the API's own default reasons.
 */
async function sendToOwner(id, reason) {
  await api(`/api/deviations/${id}/transition`, { method: 'POST', body: { status: 'in-dialogue', reason } });
}

async function confirmAndSend(deviation) {
  await api(`/api/deviations/${deviation.id}/confirm`, { method: 'POST', body: {} });
  await sendToOwner(deviation.id, `Granskad: föreslagen ägare ${deviation.proposal.partyCode} bekräftad`);
}

function renderCurrent(deviation, context, state, actions) {
  const button = (label, key, onClick, disabled = false) =>
    h('button', { type: 'button', onclick: onClick, 'aria-keyshortcuts': key, disabled }, label, ' ', h('kbd', { 'aria-hidden': 'true' }, key));
  return h(
    'article',
    { class: 'triage', 'aria-labelledby': 'triage-current' },
    h('p', { class: 'position' }, t('triage.position', { index: state.index + 1, total: state.queue.length })),
    h('h2', { id: 'triage-current', tabindex: '-1' }, h('a', { href: `#/deviations/${deviation.id}` }, deviation.title)),
    h(
      'div',
      { class: 'toolbar', role: 'group', 'aria-label': t('detail.actions') },
      button(t('triage.confirm'), 'c', actions.confirm, !deviation.proposal.partyCode),
      button(t('triage.assign'), 'a', actions.assign),
      button(t('triage.newRequirement'), 'n', actions.flagNew),
      button(t('triage.skip'), 's', actions.skip),
      button(t('triage.previous'), 'k', () => actions.move(-1)),
      button(t('triage.next'), 'j', () => actions.move(1)),
    ),
    h('div', { class: 'error-slot' }),
    h(
      'div',
      { class: 'columns' },
      contextSection(context, 'triage-context'),
      h('div', {}, h('section', { class: 'card', 'aria-label': t('deviation.status') }, deviationFacts(deviation)), proposalSection(deviation), descriptionSection(deviation)),
    ),
  );
}

function showError(workspace, message) {
  const slot = workspace.querySelector('.error-slot');
  if (slot) slot.replaceChildren(h('p', { class: 'error', role: 'alert' }, message));
}

function filterForm(state, labels, navigate) {
  const form = h(
    'form',
    { class: 'filters card', 'aria-labelledby': 'triage-filters' },
    h('h2', { id: 'triage-filters' }, t('triage.filters')),
    h(
      'div',
      { class: 'filter-grid' },
      labelledField('triage-area', labels.area, filterSelect(state, 'triage-area', 'area', [['', t('app.all')], ...AREAS.map((area) => [area, t(`area.${area}`)])])),
      labelledField('triage-party', labels.party, filterInput(state, 'triage-party', 'party')),
      labelledField('triage-q', labels.q, filterInput(state, 'triage-q', 'q', { type: 'search' })),
    ),
    h('button', { type: 'submit' }, t('list.apply')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    navigate(`#/triage?${new URLSearchParams(dropEmpty(data))}`);
  });
  return form;
}

function shortcutHelp() {
  const rows = [
    ['c', 'triage.shortcutConfirm'],
    ['a', 'triage.shortcutAssign'],
    ['n', 'triage.shortcutNew'],
    ['s', 'triage.shortcutSkip'],
    ['j', 'triage.shortcutNext'],
    ['k', 'triage.shortcutPrevious'],
  ];
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'shortcut-heading' },
    h('h2', { id: 'shortcut-heading' }, t('triage.shortcuts')),
    h('dl', { class: 'shortcuts' }, rows.map(([key, label]) => [h('dt', {}, h('kbd', {}, key)), h('dd', {}, t(label))])),
    h('p', { class: 'hint' }, t('triage.shortcutNote')),
  );
}

/** Builds the section that confirms, in bulk, every new deviation matching the filters whose proposal names a party. */
function bulkSection(listQuery, announce, reload) {
  const status = h('p', { class: 'bulk-status' });
  const progress = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': t('triage.bulkTitle') });
  const button = h('button', { type: 'button', id: 'bulk-confirm' }, t('triage.bulkButton'));
  button.addEventListener('click', async () => {
    const all = await readAll(listQuery);
    const withProposal = all.filter((deviation) => deviation.proposal.partyCode !== null && deviation.proposal.area !== 'unassigned');
    if (withProposal.length === 0) {
      status.textContent = t('triage.bulkNothing');
      announce(t('triage.bulkNothing'));
      return;
    }
    const lines = [t('triage.bulkQuestion', { count: withProposal.length })];
    if (all.length > withProposal.length) lines.push(t('triage.bulkSkipped', { count: all.length - withProposal.length }));
    const confirmed = await askToConfirm(t('triage.bulkTitle'), lines, t('triage.bulkSubmit', { count: withProposal.length }));
    if (!confirmed) return;

    button.disabled = true;
    progress.hidden = false;
    progress.max = withProposal.length;
    let done = 0;
    let failed = 0;
    for (const deviation of withProposal) {
      try {
        await confirmAndSend(deviation);
        done += 1;
      } catch {
        failed += 1;
      }
      progress.value = done + failed;
      status.textContent = t('triage.bulkProgress', { done: done + failed, count: withProposal.length });
    }
    const message = t('triage.bulkDone', { done, failed });
    announce(message);
    reload();
    // The reload replaces this section; the message stays in the live region.
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'bulk-heading' },
    h('h2', { id: 'bulk-heading' }, t('triage.bulkTitle')),
    h('p', {}, t('triage.bulkIntro')),
    button,
    progress,
    status,
  );
}

async function readAll(listQuery) {
  const items = [];
  for (let offset = 0; ; offset += 500) {
    const page = await api('/api/deviations', { query: { ...listQuery, limit: 500, offset } });
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}

function dropEmpty(values) {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
}
