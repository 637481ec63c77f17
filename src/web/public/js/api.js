// The only way the app reads or changes data: requests to /api with the signed-in user's token.
import { describeApiError, joinErrorMessage } from './api-errors.js';

const TOKEN_KEY = 'avvik.token';

/**
 * An error response of the API. `text` is in the interface's language and `detail` is the API's
 * English message where the Swedish text needs it, or null (api-errors.js). `message` joins the
 * two. `fields` lists the API's `{ field, message }` problems of a 400 response. `upload` names a
 * rejected upload, 'declaration' or 'attachment', for its own texts.
 */
export class ApiError extends Error {
  constructor(status, body, upload = null) {
    const description = describeApiError(status, body, upload);
    super(joinErrorMessage(description));
    this.text = description.text;
    this.detail = description.detail;
    this.status = status;
    this.code = body?.code ?? 'unknown';
    this.fields = body?.fields ?? [];
  }
}

export function readToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized = () => {};

/** Sets what happens when the API rejects the token, such as after `avvik users revoke`. */
export function handleUnauthorized(callback) {
  onUnauthorized = callback;
}

function headers(extra = {}) {
  const token = readToken();
  return token ? { authorization: `Bearer ${token}`, ...extra } : extra;
}

/**
 * Reads a page of the deviation list. A filter that the API rejects with 400, such as an unknown
 * party code, gives an empty page with the ApiError in `error`, so the page keeps its form.
 */
export async function readDeviationPage(query) {
  try {
    return { ...(await api('/api/deviations', { query })), error: null };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    return { items: [], total: 0, error };
  }
}

/**
 * Sends a request and returns the parsed JSON body. Throws ApiError for any status from 400 up.
 * `checkingToken` leaves a 401 to the caller instead of signing out, for the sign-in form.
 */
export async function api(path, { method = 'GET', body, query, checkingToken = false } = {}) {
  const url = query ? `${path}?${new URLSearchParams(dropEmpty(query))}` : path;
  const response = await fetch(url, {
    method,
    headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') ?? '';
  const payload = type.includes('application/json') ? await response.json() : null;
  if (!response.ok) {
    const error = new ApiError(response.status, payload);
    if (response.status === 401 && !checkingToken) onUnauthorized(error);
    throw error;
  }
  return payload;
}

function dropEmpty(query) {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== null && value !== ''));
}

/**
 * Uploads a file as multipart/form-data with XMLHttpRequest, because fetch reports no upload
 * progress. `upload` is 'declaration' or 'attachment', for the error texts of that upload, and
 * `onProgress` receives a fraction from 0 to 1.
 */
export function uploadFile(path, file, upload, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    const token = readToken();
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    request.responseType = 'json';
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve(request.response);
        return;
      }
      const error = new ApiError(request.status, request.response, upload);
      if (request.status === 401) onUnauthorized(error);
      reject(error);
    });
    request.addEventListener('error', () => reject(new ApiError(0, null, upload)));
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

/**
 * Downloads a file that needs the token: fetches it, then saves it through a temporary link,
 * because a plain link cannot send the Authorization header.
 */
export async function downloadFile(path, fileName) {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) {
    const type = response.headers.get('content-type') ?? '';
    const error = new ApiError(response.status, type.includes('application/json') ? await response.json() : null);
    if (response.status === 401) onUnauthorized(error);
    throw error;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
