// Messages for the API's error responses. The API writes its messages in English, so the Swedish
// interface shows its own text for each error code, from the `apiError.` keys in i18n.js.
import { h } from './dom.js';
import { currentLanguage, hasText, t } from './i18n.js';

/**
 * Codes whose English message states facts that the response has no field for, so the Swedish
 * page shows that message below its own text. The facts are which file problem an
 * `unsupported-file-type` is (an old .xls, a password, a text file), the size limit of
 * `file-too-large`, and what a `declarant-mismatch` declaration names.
 */
const CODES_WITH_DETAIL = new Set(['unsupported-file-type', 'file-too-large', 'declarant-mismatch']);

/**
 * Builds the message for an error response as `{ text, detail }`. `body` is the parsed JSON error
 * body, or null when the response had none, and status 0 stands for a connection that failed.
 * `upload` names the upload that was rejected, 'declaration' or 'attachment', and picks the
 * `apiError.CODE.UPLOAD` text where there is one. In Swedish `text` is the text for the code, and
 * `detail` is the API's English message for a code without a text or one in CODES_WITH_DETAIL,
 * otherwise null. In English `text` is the API's own message and `detail` is null.
 */
export function describeApiError(status, body, upload = null) {
  if (status === 0) return { text: t('apiError.connectionFailed'), detail: null };
  if (!body?.message) return { text: t('apiError.noBody', { status }), detail: null };
  if (currentLanguage() === 'en') return { text: body.message, detail: null };

  const key = textKey(body, upload);
  if (!key) return { text: t('apiError.unknownCode', { code: body.code }), detail: body.message };
  const fields = body.fields ?? [];
  const text = t(key, {
    // Quoted, because labels such as "Avvisad, dubblett" contain commas themselves.
    allowed: (body.allowed ?? []).map((allowed) => `”${t(`status.${allowed}`)}”`).join(', ') || t('app.none'),
    fields: fields.map((problem) => fieldLabel(problem.field)).join(', '),
    requestId: body.requestId ?? '',
  });
  return { text, detail: CODES_WITH_DETAIL.has(body.code) ? body.message : null };
}

/** Returns the `apiError.` key of the most specific Swedish text for the response, or null when there is none. */
function textKey(body, upload) {
  if (body.code === 'invalid-request' && (body.fields ?? []).length === 0) return 'apiError.invalid-request.noFields';
  const candidates = upload ? [`apiError.${body.code}.${upload}`, `apiError.${body.code}`] : [`apiError.${body.code}`];
  return candidates.find((key) => hasText(key)) ?? null;
}

/** Joins an error's text and detail into one line, for places that show an error as a single string. */
export function joinErrorMessage({ text, detail }) {
  return detail ? `${text} ${t('apiError.detailLabel')} ${detail}` : text;
}

/**
 * Builds the paragraphs that show an error: its text, passed through `frame` (such as "The upload
 * failed: {message}"), and below it the API's English message as detail, marked `lang="en"`.
 * A plain Error has no `text` and shows its message.
 */
export function errorParagraphs(error, frame = (text) => text) {
  return [
    h('p', {}, frame(error.text ?? error.message)),
    error.detail ? h('p', { class: 'error-detail' }, `${t('apiError.detailLabel')} `, h('span', { lang: 'en' }, error.detail)) : null,
  ];
}

/** Names a request field by its label where the app has one, such as `reason`, and otherwise as the API does. */
function fieldLabel(field) {
  return hasText(`field.${field}`) ? t(`field.${field}`) : field;
}
