/** Reading uploaded files from multipart requests, checking their type by content, and sending downloads. */
import path from 'node:path';
import type {} from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listZipEntries } from '../ingest/containers.ts';
import { HttpError } from './errors.ts';

export interface UploadedFile {
  fileName: string;
  bytes: Buffer;
}

/**
 * Reads the one file of a multipart/form-data request, from the field named `file`. A file over
 * maxBytes is rejected with 413 while it streams in, before it is held in memory whole.
 */
export async function readUploadedFile(request: FastifyRequest, maxBytes: number): Promise<UploadedFile> {
  if (!request.isMultipart()) {
    throw new HttpError(415, 'expected-multipart', "This endpoint takes a file: send multipart/form-data with the file in a field named 'file'.");
  }
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 11 }, throwFileSizeLimit: true });
  if (!part || part.fieldname !== 'file') {
    throw new HttpError(400, 'missing-file', "The request has no file in a field named 'file'. Send the file as multipart/form-data in the field 'file'.", {
      fields: [{ field: 'file', message: 'is required' }],
    });
  }
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(part.filename, maxBytes);
    throw error;
  }
  return { fileName: cleanFileName(part.filename), bytes };
}

export function fileTooLarge(fileName: string, maxBytes: number): HttpError {
  const mebibytes = (maxBytes / 1024 / 1024).toFixed(1);
  return new HttpError(
    413,
    'file-too-large',
    `The file '${cleanFileName(fileName)}' is larger than the limit of ${maxBytes} bytes (${mebibytes} MiB, set by AVVIK_MAX_FILE_BYTES). ` +
      'Remove images or unused sheets, or split the file, and upload it again.',
  );
}

/** Keeps the last path segment of a client's file name, without control characters, at most 200 characters. */
export function cleanFileName(fileName: string | undefined): string {
  // Bidirectional controls go too: they can make 'x.exe' display as another extension.
  const base = path.posix
    .basename((fileName ?? '').replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim();
  return (base || 'upload').slice(-200);
}

const TEXT_MEDIA_TYPE = 'text/plain; charset=utf-8';

/**
 * Returns the media type of an attachment from its first bytes: images, PDF, Office files and
 * other ZIP archives, and UTF-8 text such as logs. Returns null for any other content.
 */
export function sniffAttachmentType(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 16));
  const startsWith = (...signature: number[]) => signature.every((byte, index) => head[index] === byte);
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (startsWith(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (head.subarray(0, 6).toString('latin1') === 'GIF87a' || head.subarray(0, 6).toString('latin1') === 'GIF89a') return 'image/gif';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return zipMediaType(bytes);
  if (isUtf8Text(bytes)) return TEXT_MEDIA_TYPE;
  return null;
}

function zipMediaType(bytes: Uint8Array): string {
  const listing = listZipEntries(bytes);
  const names = new Set(listing.kind === 'listed' ? listing.names : []);
  if (names.has('xl/workbook.xml')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (names.has('word/document.xml')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  return 'application/zip';
}

/** True for non-empty valid UTF-8 without NUL bytes, which binary formats nearly always contain. */
function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.byteLength === 0 || bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends stored bytes as a download. `attachment` and `nosniff` stop a browser from rendering an
 * uploaded file as a page of this site.
 */
export function sendDownload(reply: FastifyReply, file: { fileName: string; mediaType: string; content: Uint8Array }) {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', file.mediaType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(Buffer.from(file.content));
}
