/** Comments and material that any party adds to a deviation it can see. */
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Actor } from './actor.ts';
import { appendEvent } from './events.ts';

/** Stores a comment and its history event; returns the comment's id. Comments are never edited. */
export async function addComment(prisma: PrismaClient, actor: Actor, deviationId: string, body: string): Promise<string> {
  return prisma.$transaction(async (tx) => {
    const comment = await tx.deviationComment.create({
      data: { deviationId, authorId: actor.userId, body },
      select: { id: true },
    });
    await appendEvent(tx, {
      deviationId,
      actor: actor.userId,
      type: 'comment-added',
      fromValue: null,
      toValue: { commentId: comment.id },
      reason: null,
    });
    return comment.id;
  });
}

export interface AttachmentFile {
  fileName: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** Stores a file as material of a deviation, with its SHA-256 and a history event; returns the attachment's id. */
export async function addAttachment(prisma: PrismaClient, actor: Actor, deviationId: string, file: AttachmentFile): Promise<string> {
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  return prisma.$transaction(async (tx) => {
    const attachment = await tx.deviationAttachment.create({
      data: {
        deviationId,
        uploadedById: actor.userId,
        fileName: file.fileName,
        mediaType: file.mediaType,
        sizeBytes: file.bytes.byteLength,
        sha256,
        content: Uint8Array.from(file.bytes),
      },
      select: { id: true },
    });
    await appendEvent(tx, {
      deviationId,
      actor: actor.userId,
      type: 'attachment-added',
      fromValue: null,
      toValue: { attachmentId: attachment.id, fileName: file.fileName, mediaType: file.mediaType, sizeBytes: file.bytes.byteLength, sha256 },
      reason: null,
    });
    return attachment.id;
  });
}
