// Messages for the API's error responses. The API writes its messages in English, so the Swedish
// interface shows its own text for each error code, from the `apiError.` keys in i18n.js.
import { currentLanguage, hasText, t } from './i18n.js';

/**
 * Builds the message for an error response. `body` is the parsed JSON error body, or null when
 * the response had none, and status 0 stands for a connection that failed. In Swedish the message is
 * the text for the code, or, for a code without one, a Swedish line with the English message as
 * detail. In English it is the API's own message.
 */
export function apiErrorMessage(status, body) {
  if (status === 0) return t('apiError.connectionFailed');
  if (!body?.message) return t('apiError.noBody', { status });
  if (currentLanguage() === 'en') return body.message;

  const fields = body.fields ?? [];
  const key = body.code === 'invalid-request' && fields.length === 0 ? 'apiError.invalid-request.noFields' : `apiError.${body.code}`;
  if (!hasText(key)) return t('apiError.unknownCode', { code: body.code, message: body.message });
  return t(key, {
    // Quoted, because labels such as "Avvisad, dubblett" contain commas themselves.
    allowed: (body.allowed ?? []).map((allowed) => `”${t(`status.${allowed}`)}”`).join(', ') || t('app.none'),
    fields: fields.map((problem) => fieldLabel(problem.field)).join(', '),
    requestId: body.requestId ?? '',
  });
}

/** Names a request field by its label where the app has one, such as `reason`, and otherwise as the API does. */
function fieldLabel(field) {
  return hasText(`field.${field}`) ? t(`field.${field}`) : field;
}
