// Upload a declaration with upload progress, and the list of declarations the user may see.
import { api, uploadFile } from '../api.js';
import { errorParagraphs } from '../api-errors.js';
import { fill, freeTextCell, h, table } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';

const UPLOAD_ROLES = ['administration', 'supplier', 'municipality'];

export async function renderDeclarations(main, { user, navigate, announce }) {
  if (!UPLOAD_ROLES.includes(user.role)) {
    fill(main, h('h1', {}, t('decl.title')), h('p', {}, t('decl.noAccess')));
    return;
  }
  const list = await api('/api/declarations', { query: { limit: 100 } });
  fill(main, 
    h('h1', {}, t('decl.title')),
    uploadForm(navigate, announce),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'declaration-list-heading' },
      h('h2', { id: 'declaration-list-heading' }, t('decl.list')),
      list.items.length === 0
        ? h('p', {}, t('decl.empty'))
        : table(
            null,
            [t('decl.fileName'), t('decl.status'), t('decl.supplier'), t('decl.system'), t('decl.received')],
            list.items.map((declaration) => [
              freeTextCell(h('a', { href: `#/declarations/${declaration.id}` }, declaration.fileName)),
              h('span', { class: `badge declaration-${declaration.status}` }, t(`declstatus.${declaration.status}`)),
              freeTextCell(declaration.supplier?.name),
              freeTextCell(declaration.businessSystem?.name),
              formatDateTime(declaration.receivedAt),
            ]),
          ),
    ),
  );
}

function uploadForm(navigate, announce) {
  const input = h('input', { id: 'declaration-file', name: 'file', type: 'file', accept: '.xlsx,.xlsm,.pdf', required: true });
  const progress = h('progress', { id: 'upload-progress', max: '100', value: '0', hidden: true });
  const progressLabel = h('label', { for: 'upload-progress', hidden: true }, t('decl.progress'));
  const message = h('p', { id: 'upload-message', role: 'status' });
  // Errors get an alert of their own, as elsewhere in the app, while progress stays polite.
  const error = h('div', { id: 'upload-error', class: 'error', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit', class: 'primary' }, t('decl.send'));
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'upload-heading' },
    h('h2', { id: 'upload-heading' }, t('decl.upload')),
    h('div', { class: 'field' }, h('label', { for: 'declaration-file' }, t('decl.file')), input),
    button,
    h('div', { class: 'progress-row' }, progressLabel, progress),
    message,
    error,
  );
  const fail = (paragraphs) => {
    message.textContent = '';
    fill(error, paragraphs);
    error.hidden = false;
    input.focus();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const file = input.files?.[0];
    if (!file) {
      fail(h('p', {}, t('decl.chooseFile')));
      return;
    }
    button.disabled = true;
    progress.hidden = false;
    progressLabel.hidden = false;
    let lastAnnounced = -1;
    try {
      const accepted = await uploadFile('/api/declarations', file, 'declaration', (fraction) => {
        const percent = Math.round(fraction * 100);
        progress.value = percent;
        // Text updates in steps of 25 %, so that a screen reader is not flooded.
        const step = Math.floor(percent / 25);
        if (step !== lastAnnounced) {
          lastAnnounced = step;
          message.textContent = t('decl.uploading', { percent });
        }
      });
      announce(accepted.created ? t('decl.uploaded') : t('decl.duplicate'));
      navigate(`#/declarations/${accepted.id}`);
    } catch (failure) {
      button.disabled = false;
      fail(errorParagraphs(failure, (text) => t('decl.uploadFailed', { message: text })));
    }
  });
  return form;
}
