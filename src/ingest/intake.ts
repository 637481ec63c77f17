import { createHash } from 'node:crypto';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Guesses the media type from the first bytes for the stored record. Parsing detects the format again. */
export function sniffMediaType(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return XLSX_MEDIA_TYPE;
  if (head.equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    return 'application/x-cfb';
  }
  return 'application/octet-stream';
}

export interface StoredDeclaration {
  id: string;
  sha256: string;
  status: 'queued' | 'processing' | 'parsed' | 'failed';
  /** False when the same bytes were stored before; the earlier declaration is returned. */
  created: boolean;
}

export interface IntakeOptions {
  fileName: string;
  maxBytes: number;
}

/**
 * Stores a file's bytes with a new declaration, or returns the declaration that already has the
 * same SHA-256. A file over the size limit is kept too, and marked failed at once.
 */
export async function storeDeclaration(
  prisma: PrismaClient,
  bytes: Uint8Array,
  options: IntakeOptions,
): Promise<StoredDeclaration> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const existing = await findBySha(prisma, sha256);
  if (existing) return { ...existing, created: false };

  const fileName = displayableFileName(options.fileName);
  const tooLarge = bytes.byteLength > options.maxBytes;
  try {
    const declaration = await prisma.declaration.create({
      data: {
        sha256,
        fileName,
        mediaType: sniffMediaType(bytes),
        sizeBytes: bytes.byteLength,
        status: tooLarge ? 'failed' : 'queued',
        errorCode: tooLarge ? 'file-too-large' : null,
        errorMessage: tooLarge ? tooLargeMessage(fileName, bytes.byteLength, options.maxBytes) : null,
        file: { create: { content: Uint8Array.from(bytes) } },
      },
      select: { id: true, sha256: true, status: true },
    });
    return { ...declaration, created: true };
  } catch (error) {
    // Another process stored the same bytes between the lookup and the insert.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const raced = await findBySha(prisma, sha256);
      if (raced) return { ...raced, created: false };
    }
    throw error;
  }
}

/**
 * Returns the file's base name without control and bidirectional characters, which could fake
 * lines in a terminal or make one extension display as another.
 */
export function displayableFileName(file: string): string {
  return path.basename(file).replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
}

async function findBySha(prisma: PrismaClient, sha256: string) {
  return prisma.declaration.findUnique({
    where: { sha256 },
    select: { id: true, sha256: true, status: true },
  });
}

/** Explains that a file is over the size limit and what to do about it. */
export function tooLargeMessage(fileName: string, size: number, maxBytes: number): string {
  return (
    `${fileName} is ${formatBytes(size)}, over the limit of ${formatBytes(maxBytes)} ` +
    '(AVVIK_MAX_FILE_BYTES). Remove images or unused sheets and send it again, ' +
    'or split the declaration into several files.'
  );
}

/** Formats a byte count in KiB or MiB with one decimal, or in bytes below 1 KiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
