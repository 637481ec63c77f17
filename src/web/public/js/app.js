// The app shell: sign-in state, navigation, the hash router, the language switch, the live
// region and keyboard shortcuts.
import { api, forgetToken, handleUnauthorized, readToken } from './api.js';
import { clear, fill, h } from './dom.js';
import { currentLanguage, setLanguage, t } from './i18n.js';
import { renderDeclaration } from './pages/declaration.js';
import { renderDeclarations } from './pages/declarations.js';
import { renderDeviation } from './pages/deviation.js';
import { renderDeviations } from './pages/deviations.js';
import { renderOverview } from './pages/overview.js';
import { renderSignIn } from './pages/signin.js';
import { renderTriage } from './pages/triage.js';

const main = document.getElementById('main');
const live = document.getElementById('live');

const state = {
  user: null,
  /** Called before the next page renders: stops polling and the page's shortcuts. */
  cleanup: null,
  /** The current page's keyboard handler, or null. */
  shortcuts: null,
  /** A message to announce on the next page, such as after sign-out. */
  pendingMessage: null,
};

/** Puts a message in the live region, so that screen readers read it without moving focus. */
export function announce(message) {
  live.textContent = '';
  // A new text node in a later task makes screen readers read a repeated message again.
  setTimeout(() => {
    live.textContent = message;
  }, 50);
}

export function navigate(hash) {
  if (location.hash === hash) {
    route();
  } else {
    location.hash = hash;
  }
}

const ROUTES = [
  { pattern: /^#\/overview$/, render: renderOverview, nav: 'overview' },
  { pattern: /^#\/triage$/, render: renderTriage, nav: 'triage' },
  { pattern: /^#\/deviations$/, render: renderDeviations, nav: 'deviations' },
  { pattern: /^#\/deviations\/([0-9a-f-]{36})$/, render: renderDeviation, nav: 'deviations' },
  { pattern: /^#\/declarations$/, render: renderDeclarations, nav: 'declarations' },
  { pattern: /^#\/declarations\/([0-9a-f-]{36})$/, render: renderDeclaration, nav: 'declarations' },
];

function navItemsFor(user) {
  const items = [];
  if (user.role === 'administration') items.push(['overview', '#/overview'], ['triage', '#/triage']);
  items.push(['deviations', '#/deviations']);
  if (['administration', 'supplier', 'municipality'].includes(user.role)) items.push(['declarations', '#/declarations']);
  return items;
}

function homeFor(user) {
  return user.role === 'administration' ? '#/overview' : '#/deviations';
}

function renderShell(activeNav) {
  document.documentElement.lang = currentLanguage();
  document.getElementById('skip-link').textContent = t('app.skip');
  const nav = document.getElementById('site-nav');
  nav.setAttribute('aria-label', t('app.nav'));
  clear(nav);
  const signOut = document.getElementById('sign-out');
  const signedInAs = document.getElementById('signed-in-as');
  const switcher = document.getElementById('language-switch');
  switcher.textContent = t('app.switchLanguage');
  switcher.lang = currentLanguage() === 'sv' ? 'en' : 'sv';
  signOut.textContent = t('app.signOut');
  if (!state.user) {
    signOut.hidden = true;
    signedInAs.textContent = '';
    return;
  }
  signOut.hidden = false;
  signedInAs.textContent = t('app.signedInAs', { name: state.user.name, role: t(`role.${state.user.role}`) });
  nav.append(
    h(
      'ul',
      {},
      navItemsFor(state.user).map(([key, hash]) =>
        h('li', {}, h('a', { href: hash, 'aria-current': key === activeNav ? 'page' : null }, t(`nav.${key}`))),
      ),
    ),
  );
}

async function route() {
  state.cleanup?.();
  state.cleanup = null;
  state.shortcuts = null;

  if (!readToken()) {
    state.user = null;
    renderShell(null);
    await renderPage(renderSignIn, []);
    return;
  }
  if (!state.user) {
    try {
      state.user = await api('/api/me', { checkingToken: true });
    } catch (error) {
      forgetToken();
      state.user = null;
      state.pendingMessage = t('app.sessionEnded', { message: error.message });
      renderShell(null);
      await renderPage(renderSignIn, []);
      return;
    }
  }

  const hash = location.hash || homeFor(state.user);
  const path = hash.split('?')[0];
  const match = ROUTES.map((entry) => ({ entry, groups: entry.pattern.exec(path) })).find((candidate) => candidate.groups);
  if (!match) {
    if (!location.hash || path === '#/' || path === '#/signin') {
      navigate(homeFor(state.user));
      return;
    }
    renderShell(null);
    generation += 1;
    fill(main, h('h1', { tabindex: '-1' }, t('app.notFound')));
    focusHeading();
    return;
  }
  renderShell(match.entry.nav);
  await renderPage(match.entry.render, match.groups.slice(1));
}

/** Counts route changes, so that a page that finishes loading after the user moved on is dropped. */
let generation = 0;

async function renderPage(render, params) {
  const current = ++generation;
  fill(main, h('p', {}, t('app.loading')));
  // The page renders into a detached container, which replaces the loading text only if no
  // later route change started meanwhile.
  const container = h('div', { class: 'page' });
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const context = {
    user: state.user,
    params,
    query,
    announce,
    navigate,
    onSignedIn: (user) => {
      state.user = user;
      navigate(homeFor(user));
    },
    setShortcuts: (handler) => {
      if (current === generation) state.shortcuts = handler;
    },
    setCleanup: (cleanup) => {
      if (current === generation) {
        state.cleanup = cleanup;
      } else {
        cleanup();
      }
    },
  };
  try {
    await render(container, context);
  } catch (error) {
    fill(container, h('h1', { tabindex: '-1' }, t('app.error', { message: error.message })));
  }
  if (current !== generation) return;
  fill(main, container);
  focusHeading();
  if (state.pendingMessage) {
    announce(state.pendingMessage);
    state.pendingMessage = null;
  }
}

/** Moves focus to the page's heading, so that keyboard and screen reader users start at the new content. */
function focusHeading() {
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  } else {
    main.focus();
  }
}

function signOut() {
  forgetToken();
  state.user = null;
  state.pendingMessage = t('app.signedOut');
  navigate('#/signin');
}

/** Tells whether a key press belongs to a form field or a dialog, where shortcuts must not act. */
function isTyping(event) {
  const target = event.target;
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]')) return true;
  return document.querySelector('dialog[open]') !== null;
}

document.addEventListener('keydown', (event) => {
  if (!state.shortcuts || event.defaultPrevented) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (isTyping(event)) return;
  if (state.shortcuts(event.key, event)) event.preventDefault();
});

document.getElementById('language-switch').addEventListener('click', () => {
  setLanguage(currentLanguage() === 'sv' ? 'en' : 'sv');
  route();
});
document.getElementById('sign-out').addEventListener('click', signOut);
document.getElementById('skip-link').addEventListener('click', (event) => {
  // The app routes on the hash, so the link moves focus itself instead of changing the hash.
  event.preventDefault();
  main.focus();
});

handleUnauthorized((error) => {
  forgetToken();
  state.user = null;
  state.pendingMessage = t('app.sessionEnded', { message: error.message });
  navigate('#/signin');
});

window.addEventListener('hashchange', route);
setLanguage(currentLanguage());
route();
