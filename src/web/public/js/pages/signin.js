import { api, forgetToken, storeToken } from '../api.js';
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';

export async function renderSignIn(main, { onSignedIn }) {
  // An alert, because focus stays in the token field and a screen reader would not read the message otherwise.
  const error = h('p', { id: 'signin-error', class: 'error', role: 'alert', hidden: true });
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-hint',
  });
  const form = h(
    'form',
    { class: 'card narrow', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'token' }, t('signin.token')), input, h('p', { id: 'token-hint', class: 'hint' }, t('signin.tokenHint'))),
    error,
    h('button', { type: 'submit', class: 'primary' }, t('signin.submit')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    const fail = (message) => {
      error.textContent = message;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'token-hint signin-error');
      input.focus();
    };
    if (!token) return fail(t('signin.empty'));
    storeToken(token);
    try {
      const user = await api('/api/me', { checkingToken: true });
      onSignedIn(user);
    } catch (failure) {
      forgetToken();
      fail(t('signin.failed', { message: failure.message }));
    }
  });
  fill(main, h('h1', {}, t('signin.title')), h('p', {}, t('signin.intro')), form);
}
