/**
 * Unpacking of one ZIP entry in pieces, so that a large worksheet never lies in memory whole,
 * neither as bytes nor as text. The entry is found and unpacked as fflate 0.8's unzipSync does,
 * and streamEntryText reports each case where unzipSync could give other bytes or throw, so that
 * the caller can unpack the entry with unzipSync instead.
 */

import { TextDecoder } from 'node:util';
import { Inflate } from 'fflate';
import { ZIP64_MARKER } from './containers.ts';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR = 0x07064b50;
const STORED = 0;
const DEFLATED = 8;
/** Compressed bytes inflated per step. A step makes at most about 1,032 times as many bytes, DEFLATE's maximum ratio. */
const COMPRESSED_STEP_BYTES = 16 * 1024;

/** The location and packing of a ZIP entry's data in the archive. */
export interface ZipEntryData {
  compression: number;
  compressedSize: number;
  originalSize: number;
  /** The offset of the entry's data, after its local header. */
  dataStart: number;
}

// Little-endian reads as fflate makes them: a byte past the end reads as 0.
const read16 = (bytes: Uint8Array, offset: number) => bytes[offset]! | (bytes[offset + 1]! << 8);
const read32 = (bytes: Uint8Array, offset: number) =>
  (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
const read64 = (bytes: Uint8Array, offset: number) => read32(bytes, offset) + read32(bytes, offset + 4) * 4_294_967_296;

/**
 * Returns the data location of the entry at `entryIndex` in central directory order, read as
 * fflate 0.8's unzipSync reads it, or null when the directory does not lead to it.
 */
export function locateZipEntry(bytes: Uint8Array, entryIndex: number): ZipEntryData | null {
  let end = bytes.length - 22;
  while (read32(bytes, end) !== END_OF_CENTRAL_DIRECTORY) {
    if (end <= 0 || bytes.length - end > 65_558) return null;
    end -= 1;
  }
  let entryCount = read16(bytes, end + 8);
  let offset = read32(bytes, end + 16);
  let zip64 = read32(bytes, end - 20) === ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR;
  if (zip64) {
    const zip64End = read32(bytes, end - 12);
    zip64 = read32(bytes, zip64End) === ZIP64_END_OF_CENTRAL_DIRECTORY;
    if (zip64) {
      entryCount = read32(bytes, zip64End + 32);
      offset = read32(bytes, zip64End + 48);
    }
  }
  if (entryIndex >= entryCount) return null;
  for (let index = 0; index < entryIndex; index++) {
    offset += 46 + read16(bytes, offset + 28) + read16(bytes, offset + 30) + read16(bytes, offset + 32);
  }
  const sizes = readEntrySizes(bytes, offset, zip64);
  if (!sizes) return null;
  const localHeader = sizes.localHeaderOffset;
  return {
    compression: read16(bytes, offset + 10),
    compressedSize: sizes.compressedSize,
    originalSize: sizes.originalSize,
    dataStart: localHeader + 30 + read16(bytes, localHeader + 26) + read16(bytes, localHeader + 28),
  };
}

/** Reads an entry's sizes and local header offset, from its ZIP64 extra field where the 32-bit fields are 0xFFFFFFFF. */
function readEntrySizes(bytes: Uint8Array, offset: number, zip64: boolean) {
  const compressedSize = read32(bytes, offset + 20);
  const originalSize = read32(bytes, offset + 24);
  const localHeaderOffset = read32(bytes, offset + 42);
  const inCompressed = compressedSize === ZIP64_MARKER ? 1 : 0;
  const inOriginal = originalSize === ZIP64_MARKER ? 1 : 0;
  const inOffset = localHeaderOffset === ZIP64_MARKER ? 1 : 0;
  if (!zip64 || inCompressed + inOriginal + inOffset === 0) return { compressedSize, originalSize, localHeaderOffset };

  const extraStart = offset + 46 + read16(bytes, offset + 28);
  const extraEnd = extraStart + read16(bytes, offset + 30);
  for (let field = extraStart; field + 4 < extraEnd; field += 4 + read16(bytes, field + 2)) {
    if (read16(bytes, field) !== 1) continue;
    // fflate reads the compressed size after the original size only when both are in the field.
    return {
      compressedSize: inCompressed ? read64(bytes, field + 4 + 8 * inOriginal) : compressedSize,
      originalSize: inOriginal ? read64(bytes, field + 4) : originalSize,
      localHeaderOffset: inOffset ? read64(bytes, field + 4 + 8 * (inOriginal + inCompressed)) : localHeaderOffset,
    };
  }
  return null;
}

/** The outcome of streamEntryText when the entry cannot be streamed as unzipSync would unpack it. */
export const NOT_STREAMED = Symbol('not streamed');

/**
 * Unpacks an entry step by step and passes its decoded text to `consume`, piece by piece.
 * Returns NOT_STREAMED, having passed some text or none, when unzipSync would unpack other bytes
 * or throw: an unknown compression method, no compressed bytes, data past the archive's end, a
 * DEFLATE error, or more bytes than the entry's original size. After an error in `consume`, the
 * rest of the entry is unpacked without passing text. The error is then thrown again when the
 * rest unpacks cleanly. Otherwise NOT_STREAMED is returned, because unzipSync would have failed
 * before any text was read.
 */
export function streamEntryText(bytes: Uint8Array, entry: ZipEntryData, consume: (text: string) => void): typeof NOT_STREAMED | void {
  const { compression, compressedSize, originalSize, dataStart } = entry;
  if (compression !== STORED && compression !== DEFLATED) return NOT_STREAMED;
  if (compressedSize === 0 || dataStart + compressedSize > bytes.length) return NOT_STREAMED;

  const data = bytes.subarray(dataStart, dataStart + compressedSize);
  const decoder = new PartDecoder();
  let consumerError: { error: unknown } | null = null;
  const deliver = (text: string) => {
    if (consumerError || text === '') return;
    try {
      consume(text);
    } catch (error) {
      consumerError = { error };
    }
  };

  if (compression === STORED) {
    for (let start = 0; start < data.length && !consumerError; start += COMPRESSED_STEP_BYTES) {
      deliver(decoder.decode(data.subarray(start, start + COMPRESSED_STEP_BYTES)));
    }
  } else {
    let produced = 0;
    const pieces: Uint8Array[] = [];
    // Pieces are decoded after each step, outside the callback, so that an error in `consume`
    // cannot leave the Inflate stream half updated.
    const inflate = new Inflate((piece) => {
      produced += piece.length;
      if (!consumerError) pieces.push(piece);
    });
    try {
      for (let start = 0; start < data.length; start += COMPRESSED_STEP_BYTES) {
        const end = Math.min(start + COMPRESSED_STEP_BYTES, data.length);
        inflate.push(data.subarray(start, end), end === data.length);
        // unzipSync unpacks into a buffer of the original size, dropping or rejecting any more bytes.
        if (produced > originalSize) return NOT_STREAMED;
        for (const piece of pieces) deliver(decoder.decode(piece));
        pieces.length = 0;
      }
    } catch {
      return NOT_STREAMED;
    }
  }
  deliver(decoder.end());
  if (consumerError) throw (consumerError as { error: unknown }).error;
}

/**
 * Decodes a part's bytes piece by piece: as UTF-16 when they start with a UTF-16 byte-order
 * mark, else as UTF-8. A character cut between two pieces comes out whole with the later piece.
 */
export class PartDecoder {
  private decoder: TextDecoder | null = null;
  /** The bytes before the decoder starts: fewer than the two that tell a byte-order mark. */
  private head = new Uint8Array(0);

  decode(piece: Uint8Array): string {
    if (this.decoder) return this.decoder.decode(piece, { stream: true });
    const bytes = new Uint8Array(this.head.length + piece.length);
    bytes.set(this.head);
    bytes.set(piece, this.head.length);
    if (bytes.length < 2) {
      this.head = bytes;
      return '';
    }
    this.head = new Uint8Array(0);
    this.decoder = new TextDecoder(encodingOf(bytes));
    return this.decoder.decode(bytes, { stream: true });
  }

  end(): string {
    if (this.decoder) return this.decoder.decode();
    return new TextDecoder().decode(this.head);
  }
}

function encodingOf(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}
