// One deviation: facts, proposal, the requirement rows around it, description, comments,
// attachments, history, and the workflow actions the user's role allows.
import { api, ApiError, downloadFile, uploadFile } from '../api.js';
import { errorParagraphs } from '../api-errors.js';
import { askForOwner, contextSection, descriptionSection, deviationFacts, proposalSection } from '../components.js';
import { fill, freeTextCell, h, table } from '../dom.js';
import { formatBytes, formatDateTime } from '../format.js';
import { t } from '../i18n.js';

export async function renderDeviation(main, context) {
  const [id] = context.params;
  let deviation;
  let rows;
  try {
    [deviation, rows] = await Promise.all([api(`/api/deviations/${id}`), api(`/api/deviations/${id}/context`)]);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      fill(main, h('h1', {}, t('detail.notFound')), h('p', {}, h('a', { href: '#/deviations' }, t('detail.back'))));
      return;
    }
    throw error;
  }

  const reload = async (message) => {
    await renderDeviation(main, context);
    main.querySelector('h1')?.focus();
    context.announce(message);
  };

  fill(main, 
    h('p', {}, h('a', { href: '#/deviations' }, t('detail.back'))),
    // Focusable by script, because a saved change redraws the page and moves focus here.
    h('h1', { tabindex: '-1' }, deviation.title),
    h('div', { class: 'columns' }, h('section', { class: 'card', 'aria-label': t('deviation.status') }, deviationFacts(deviation)), proposalSection(deviation)),
    context.user.role === 'administration' ? actionsSection(deviation, reload) : null,
    descriptionSection(deviation),
    contextSection(rows, 'detail-context'),
    commentsSection(deviation, reload),
    attachmentsSection(deviation, reload),
    historySection(deviation),
  );
}

function errorSlot() {
  return h('div', { class: 'error', role: 'alert', hidden: true });
}

function showError(slot, error) {
  fill(slot, errorParagraphs(error));
  slot.hidden = false;
}

function actionsSection(deviation, reload) {
  const error = errorSlot();
  const confirmButton = h('button', { type: 'button', class: 'primary', disabled: !deviation.proposal.partyCode }, t('detail.confirm'));
  confirmButton.addEventListener('click', async () => {
    try {
      await api(`/api/deviations/${deviation.id}/confirm`, { method: 'POST', body: {} });
      await reload(t('detail.ownerConfirmed', { party: deviation.proposal.partyCode }));
    } catch (failure) {
      showError(error, failure);
    }
  });
  const assignButton = h('button', { type: 'button' }, t('detail.assign'));
  assignButton.addEventListener('click', async () => {
    const owner = await askForOwner(deviation);
    if (!owner) return;
    try {
      await api(`/api/deviations/${deviation.id}/assign`, { method: 'POST', body: owner });
      await reload(t('detail.ownerAssigned', { party: owner.partyCode }));
    } catch (failure) {
      showError(error, failure);
    }
  });

  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'actions-heading' },
    h('h2', { id: 'actions-heading' }, t('detail.actions')),
    h('div', { class: 'actions' }, confirmButton, assignButton),
    transitionForm(deviation, reload, error),
    error,
  );
}

function transitionForm(deviation, reload, error) {
  if (deviation.allowedTransitions.length === 0) return h('p', {}, t('detail.noTransitions'));
  const dueDate = h('div', { class: 'field', hidden: true }, h('label', { for: 'transition-due' }, t('detail.dueDate')), h('input', { id: 'transition-due', name: 'dueDate', type: 'date' }));
  const statusSelect = h(
    'select',
    { id: 'transition-status', name: 'status', required: true },
    deviation.allowedTransitions.map((status) => h('option', { value: status }, t(`status.${status}`))),
  );
  const toggleDueDate = () => {
    dueDate.hidden = statusSelect.value !== 'will-fix';
  };
  statusSelect.addEventListener('change', toggleDueDate);
  toggleDueDate();
  const form = h(
    'form',
    { 'aria-labelledby': 'transition-heading' },
    h('h3', { id: 'transition-heading' }, t('detail.transition')),
    h('div', { class: 'field' }, h('label', { for: 'transition-status' }, t('detail.newStatus')), statusSelect),
    dueDate,
    h('div', { class: 'field' }, h('label', { for: 'transition-reason' }, t('detail.reason')), h('textarea', { id: 'transition-reason', name: 'reason', required: true, maxlength: '2000', rows: '3' })),
    h('button', { type: 'submit' }, t('detail.changeStatus')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const status = String(data.get('status'));
    const body = { status, reason: String(data.get('reason') ?? '').trim() };
    if (status === 'will-fix') body.dueDate = String(data.get('dueDate') ?? '') || null;
    try {
      await api(`/api/deviations/${deviation.id}/transition`, { method: 'POST', body });
      await reload(t('detail.statusChanged', { status: t(`status.${status}`) }));
    } catch (failure) {
      showError(error, failure);
    }
  });
  return form;
}

function commentsSection(deviation, reload) {
  const error = errorSlot();
  const form = h(
    'form',
    {},
    h('div', { class: 'field' }, h('label', { for: 'comment-body' }, t('detail.addComment')), h('textarea', { id: 'comment-body', name: 'body', required: true, maxlength: '10000', rows: '4' })),
    error,
    h('button', { type: 'submit' }, t('detail.sendComment')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = String(new FormData(form).get('body') ?? '').trim();
    try {
      await api(`/api/deviations/${deviation.id}/comments`, { method: 'POST', body: { body } });
      await reload(t('detail.commentAdded'));
    } catch (failure) {
      showError(error, failure);
    }
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'comments-heading' },
    h('h2', { id: 'comments-heading' }, t('detail.comments')),
    deviation.comments.length === 0
      ? h('p', {}, t('detail.noComments'))
      : h(
          'ol',
          { class: 'comments' },
          deviation.comments.map((comment) =>
            h('li', {}, h('p', { class: 'meta' }, `${comment.author.name ?? comment.author.id}, ${formatDateTime(comment.createdAt)}`), h('p', { class: 'comment-body' }, comment.body)),
          ),
        ),
    form,
  );
}

function attachmentsSection(deviation, reload) {
  const error = errorSlot();
  const input = h('input', { id: 'attachment-file', name: 'file', type: 'file' });
  const form = h(
    'form',
    {},
    h('div', { class: 'field' }, h('label', { for: 'attachment-file' }, t('detail.addAttachment')), input),
    error,
    h('button', { type: 'submit' }, t('detail.upload')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // Hidden while the file uploads, so that an earlier error does not stand for this upload.
    error.hidden = true;
    const file = input.files?.[0];
    if (!file) return showError(error, new Error(t('detail.chooseFile')));
    try {
      await uploadFile(`/api/deviations/${deviation.id}/attachments`, file, 'attachment', () => {});
      await reload(t('detail.attachmentAdded'));
    } catch (failure) {
      showError(error, failure);
    }
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'attachments-heading' },
    h('h2', { id: 'attachments-heading' }, t('detail.attachments')),
    deviation.attachments.length === 0
      ? h('p', {}, t('detail.noAttachments'))
      : h(
          'ul',
          {},
          deviation.attachments.map((attachment) =>
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', class: 'link', onclick: () => downloadFile(attachment.url, attachment.fileName).catch((failure) => showError(error, failure)) },
                `${t('app.download')} ${attachment.fileName}`,
              ),
              ` (${attachment.mediaType}, ${formatBytes(attachment.sizeBytes)}, ${attachment.uploadedBy.name ?? attachment.uploadedBy.id}, ${formatDateTime(attachment.createdAt)})`,
            ),
          ),
        ),
    form,
  );
}

function historySection(deviation) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'history-heading' },
    h('h2', { id: 'history-heading' }, t('detail.history')),
    table(
      null,
      [t('detail.historyAt'), t('detail.historyActor'), t('detail.historyType'), t('detail.historyChange'), t('detail.historyReason')],
      deviation.history.map((event) => [
        formatDateTime(event.at),
        event.actor.name ?? event.actor.id,
        t(`event.${event.type}`),
        freeTextCell(describeChange(event)),
        freeTextCell(event.reason),
      ]),
      { class: 'history' },
    ),
  );
}

/** Describes a history event's change in words: a status move, an owner or a file name. */
function describeChange(event) {
  const describe = (value) => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object') return String(value);
    if ('status' in value) return t(`status.${value.status}`) + (value.dueDate ? ` (${value.dueDate})` : '');
    if ('partyCode' in value) return `${t(`area.${value.area}`)}: ${value.partyCode ?? '–'}`;
    if ('fileName' in value) return value.fileName;
    if ('commentId' in value) return null;
    return null;
  };
  const from = describe(event.from);
  const to = describe(event.to);
  if (from && to) return `${from} → ${to}`;
  return to ?? from ?? '–';
}
