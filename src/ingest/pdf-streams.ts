/**
 * Measures what a PDF's streams unpack to before pdf.js parses them. pdf.js keeps a page's whole
 * content in memory, and builds a text item whole before Avvik can count it, so a few kilobytes of
 * FlateDecode data that unpack to millions of characters would cost gigabytes. This pre-pass
 * scans the file's bytes for stream objects and inflates each FlateDecode stream with a running
 * size cap. It keeps only the count, except for two kinds of stream. Object streams are kept up to
 * `dataStreamBytes` to find the page objects in them. A content stream is kept, up to
 * `pageContentBytes`, until the text that it shows is counted. So the pre-pass's memory stays
 * bounded whatever the streams unpack to.
 */

import { Unzlib } from 'fflate';

import { DeclarationFileError } from '../errors.ts';
import type { PdfLimits } from './pdf-limits.ts';
import { countShownTextBytes } from './pdf-shown-text.ts';

/** Compressed bytes inflated per step. A step makes at most about 1,032 times as many bytes, DEFLATE's maximum ratio. */
const COMPRESSED_STEP_BYTES = 1024;

/**
 * The kind of a stream, read from its dictionary:
 * - `content`: drawing operators that pdf.js parses, such as page contents and form XObjects,
 *   and every stream of a kind not listed here.
 * - `data`: a font file, a CMap, an object stream or a cross-reference stream, which pdf.js reads whole.
 * - `unread`: an image, embedded file or XMP metadata. pdf.js 5.4 decodes an image only up to the
 *   size that its width and height give (PDFImage.getImageBytes), not to what its stream unpacks
 *   to, and Avvik requests neither embedded files nor metadata from pdf.js.
 */
type StreamKind = 'content' | 'data' | 'unread';

/** The decompressed sizes of a PDF's streams, by object number, with the pages' content streams. */
export interface PdfStreamSizes {
  /** Decompressed bytes of each stream object that was measured. */
  streamBytes: Map<number, number>;
  /** The object numbers of each page object's content streams. */
  pageContents: Map<number, number[]>;
  /** Bytes of the strings that each content stream shows, by object number (see countShownTextBytes). */
  shownTextBytes: Map<number, number>;
}

interface StreamObject {
  number: number;
  dictionary: string;
  dataStart: number;
  dataEnd: number;
}

/**
 * Measures the streams of a PDF and throws a file-too-large DeclarationFileError when one content
 * stream, one data stream or all of them together unpack to more than `limits` allow. A stream
 * that cannot be inflated, because it is encrypted or damaged, counts with the bytes it gave
 * before the error, and pdf.js reads the file as it would without this check.
 * NOTE: only FlateDecode streams, first in their filter list, and unfiltered streams are
 * measured. Streams of other filters (LZWDecode, RunLengthDecode, ASCII85Decode before
 * FlateDecode) count as 0 bytes, and so does every stream of an encrypted file.
 */
export function measurePdfStreams(bytes: Uint8Array, fileName: string, limits: PdfLimits): PdfStreamSizes {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const { streams, objects } = scanObjects(text);
  const streamBytes = new Map<number, number>();
  const shownTextBytes = new Map<number, number>();
  let total = 0;
  for (const stream of streams) {
    const kind = streamKind(stream.dictionary);
    if (kind === 'unread') continue;
    const max = kind === 'content' ? limits.pageContentBytes : limits.dataStreamBytes;
    const isObjectStream = /\/Type\s*\/ObjStm\b/.test(stream.dictionary);
    // A content stream is kept, up to `pageContentBytes`, only until its shown text is counted.
    const keepsContent = isObjectStream || kind === 'content';
    const chunks: Uint8Array[] = [];
    const size = measureStream(bytes, stream, max, keepsContent ? (chunk) => chunks.push(chunk) : null);
    if (size > max) throw streamTooLarge(fileName, kind, max);
    total += size;
    if (total > limits.streamBytes) throw allStreamsTooLarge(fileName, limits.streamBytes);
    streamBytes.set(stream.number, size);
    if (kind === 'content') {
      shownTextBytes.set(stream.number, countShownTextBytes(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    }
    if (isObjectStream) {
      readObjectStream(Buffer.concat(chunks).toString('latin1'), stream.dictionary, objects);
    }
  }
  return { streamBytes, pageContents: findPageContents(objects), shownTextBytes };
}

/**
 * Returns the stream objects of a PDF and the text of its other objects by object number, as
 * they stand in the file. A later object of one number replaces an earlier one, as an
 * incremental update does.
 */
function scanObjects(text: string): { streams: StreamObject[]; objects: Map<number, string> } {
  const streams: StreamObject[] = [];
  const objects = new Map<number, string>();
  const objectStart = /(\d+)\s+\d+\s+obj\b/g;
  // The next `stream` and `endobj` keywords are searched once per keyword, not once per
  // object, so that scanning a file of many small objects stays linear in its length.
  let nextStream = -1;
  let nextEndObject = -1;
  for (let match = objectStart.exec(text); match; match = objectStart.exec(text)) {
    const bodyStart = objectStart.lastIndex;
    if (nextEndObject < bodyStart) nextEndObject = findKeyword(text, 'endobj', bodyStart);
    if (nextStream < bodyStart) nextStream = findKeyword(text, 'stream', bodyStart);
    const bodyEnd = nextEndObject === -1 ? text.length : nextEndObject;
    const number = Number(match[1]);
    if (nextStream !== -1 && nextStream < bodyEnd) {
      const dataStart = skipEndOfLine(text, nextStream + 'stream'.length);
      const endStream = text.indexOf('endstream', dataStart);
      const dataEnd = endStream === -1 ? text.length : endStream;
      streams.push({ number, dictionary: text.slice(bodyStart, nextStream), dataStart, dataEnd });
      objectStart.lastIndex = dataEnd;
    } else {
      objects.set(number, text.slice(bodyStart, bodyEnd));
      objectStart.lastIndex = bodyEnd;
    }
  }
  return { streams, objects };
}

/** Returns the index of `keyword` from `start` where it is not part of a longer name, or -1. */
function findKeyword(text: string, keyword: string, start: number): number {
  for (let index = text.indexOf(keyword, start); index !== -1; index = text.indexOf(keyword, index + 1)) {
    const before = text.charCodeAt(index - 1);
    const isLetter = (before >= 0x41 && before <= 0x5a) || (before >= 0x61 && before <= 0x7a) || before === 0x2f;
    if (!isLetter) return index;
  }
  return -1;
}

function skipEndOfLine(text: string, index: number): number {
  if (text[index] === '\r') index++;
  if (text[index] === '\n') index++;
  return index;
}

function streamKind(dictionary: string): StreamKind {
  if (/\/Subtype\s*\/Image\b|\/Type\s*\/(EmbeddedFile|Metadata)\b/.test(dictionary)) return 'unread';
  if (/\/Length[123]\b|\/Subtype\s*\/(Type1C|CIDFontType0C|OpenType)\b|\/Type\s*\/(ObjStm|XRef|CMap)\b/.test(dictionary)) {
    return 'data';
  }
  return 'content';
}

/**
 * Returns the decompressed size of a stream, or the first count past `max`, where inflating
 * stops. `keep` receives the decompressed bytes when the caller needs them.
 */
function measureStream(
  bytes: Uint8Array,
  stream: StreamObject,
  max: number,
  keep: ((chunk: Uint8Array) => void) | null,
): number {
  const filter = /\/Filter\s*\[?\s*\/(\w+)/.exec(stream.dictionary)?.[1];
  const data = bytes.subarray(stream.dataStart, stream.dataEnd);
  if (filter === undefined) {
    if (keep) keep(data);
    return data.length;
  }
  if (filter !== 'FlateDecode' && filter !== 'Fl') return 0;
  let size = 0;
  const inflater = new Unzlib((chunk) => {
    size += chunk.length;
    if (keep && size <= max) keep(chunk);
  });
  try {
    for (let offset = 0; offset < data.length && size <= max; offset += COMPRESSED_STEP_BYTES) {
      const end = Math.min(offset + COMPRESSED_STEP_BYTES, data.length);
      inflater.push(data.subarray(offset, end), end === data.length);
    }
  } catch {
    // An encrypted or damaged stream: the bytes inflated before the error still count.
  }
  return size;
}

/**
 * Adds the objects of an object stream (PDF 1.5) to `objects`, unless the file has an object of
 * that number outside any object stream, which then wins as pdf.js reads a damaged file too.
 */
function readObjectStream(content: string, dictionary: string, objects: Map<number, string>): void {
  const count = Number(/\/N\s+(\d+)/.exec(dictionary)?.[1]);
  const first = Number(/\/First\s+(\d+)/.exec(dictionary)?.[1]);
  if (!Number.isInteger(count) || !Number.isInteger(first)) return;
  const header = content.slice(0, first).trim().split(/\s+/).map(Number);
  for (let index = 0; index < count; index++) {
    const number = header[2 * index];
    const offset = header[2 * index + 1];
    if (number === undefined || offset === undefined || Number.isNaN(number) || Number.isNaN(offset)) return;
    const nextOffset = header[2 * index + 3];
    const end = nextOffset === undefined || Number.isNaN(nextOffset) ? content.length : first + nextOffset;
    if (!objects.has(number)) objects.set(number, content.slice(first + offset, end));
  }
}

/** Returns the content stream object numbers of every page object, by page object number. */
function findPageContents(objects: Map<number, string>): Map<number, number[]> {
  const pageContents = new Map<number, number[]>();
  for (const [number, body] of objects) {
    if (!/\/Type\s*\/Page\b(?!s)/.test(body)) continue;
    const contents = /\/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/.exec(body)?.[1];
    if (contents === undefined) continue;
    let references = objectReferences(contents);
    // /Contents may refer to an array object instead of a stream.
    const target = references.length === 1 ? objects.get(references[0]!) : undefined;
    if (target !== undefined && target.trim().startsWith('[')) references = objectReferences(target);
    pageContents.set(number, references);
  }
  return pageContents;
}

function objectReferences(text: string): number[] {
  return Array.from(text.matchAll(/(\d+)\s+\d+\s+R\b/g), (match) => Number(match[1]));
}

/** Returns the decompressed size of a page's content streams, 0 for a page that the scan did not find. */
export function pageContentBytes(sizes: PdfStreamSizes, pageObject: number): number {
  const contents = sizes.pageContents.get(pageObject) ?? [];
  return contents.reduce((sum, number) => sum + (sizes.streamBytes.get(number) ?? 0), 0);
}

/** Returns the bytes of the strings that a page's content streams show, 0 for a page that the scan did not find. */
export function pageShownTextBytes(sizes: PdfStreamSizes, pageObject: number): number {
  const contents = sizes.pageContents.get(pageObject) ?? [];
  return contents.reduce((sum, number) => sum + (sizes.shownTextBytes.get(number) ?? 0), 0);
}

function streamTooLarge(fileName: string, kind: 'content' | 'data', max: number): DeclarationFileError {
  const part = kind === 'content' ? 'page content or a drawing' : 'an embedded font or other part';
  return new DeclarationFileError(
    'file-too-large',
    `The PDF ${fileName} contains ${part} that unpacks to more than ${formatMiB(max)}, ` +
      'more than Avvik reads from one part of a declaration, so Avvik did not read the file. ' +
      'Export the declaration to PDF again from the original document, or upload the Excel file.',
  );
}

function allStreamsTooLarge(fileName: string, max: number): DeclarationFileError {
  return new DeclarationFileError(
    'file-too-large',
    `The PDF ${fileName} contains page contents, drawings and fonts that unpack to more than ${formatMiB(max)} ` +
      'together, images not counted, more than Avvik reads from one declaration, so Avvik did not read the file. ' +
      'Remove the pages that are not part of the declaration, or split it into several files, and upload it again, ' +
      'or upload the Excel file.',
  );
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toLocaleString('en')} MiB`;
}
