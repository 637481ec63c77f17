/**
 * Accepting a declaration upload: checks of role, type and declarant, storage through the
 * pipeline's intake, and hand-over to processing.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { supplierCodeFor } from '../db/store-declaration.ts';
import { DeclarationFileError, isDeclarationFileError } from '../errors.ts';
import { detectFormat } from '../ingest/detect.ts';
import { storeDeclaration } from '../ingest/intake.ts';
import type { CoverFacts } from '../ingest/model.ts';
import { parseDeclaration } from '../ingest/parse.ts';
import { sameName } from '../ingest/text.ts';
import type { Actor } from '../workflow/actor.ts';
import { partyCodeText } from './contact-text.ts';
import { isDeclarationVisible } from './declaration-reads.ts';
import { HttpError } from './errors.ts';
import type { UploadedFile } from './files.ts';
import type { DeclarationScheduler } from './scheduler.ts';

export interface UploadContext {
  prisma: PrismaClient;
  scheduler: DeclarationScheduler;
  maxBytes: number;
  log: FastifyBaseLogger;
}

/** File errors that mean the content is not a declaration format Avvik reads. */
const UNSUPPORTED_TYPE_CODES = new Set(['unsupported-format', 'legacy-xls', 'encrypted-workbook']);

/**
 * Stores an uploaded declaration and has it processed. The administration uploads for any
 * supplier. A supplier or a municipality's user uploads only declarations that name itself,
 * which is checked by parsing the cover before anything is stored.
 */
export async function acceptDeclaration(context: UploadContext, actor: Actor, file: UploadedFile) {
  if (actor.role === 'data-provider' || actor.role === 'operations') {
    throw new HttpError(403, 'upload-not-allowed', `Role ${actor.role} cannot upload declarations; suppliers, municipality users and the administration can.`);
  }
  checkFileType(file);
  const declarant = actor.role === 'administration' ? 'not-checked' : await checkDeclarant(actor, file);

  const stored = await storeDeclaration(context.prisma, file.bytes, { fileName: file.fileName, maxBytes: context.maxBytes });
  const log = context.log.child({ declarationId: stored.id, userId: actor.userId });
  if (stored.created) {
    await context.prisma.declaration.update({ where: { id: stored.id }, data: { uploadedById: actor.userId } });
    log.info({ sizeBytes: file.bytes.byteLength }, 'declaration uploaded');
  } else if (declarant !== 'named' && !(await isDeclarationVisible(context.prisma, actor, stored.id))) {
    // A file whose cover names the caller is the caller's declaration, even before processing
    // has linked it to the caller's supplier. Any other file stays another party's.
    throw new HttpError(409, 'already-uploaded', 'This file was already uploaded by another party. Ask the administration about its declaration.');
  } else {
    log.info({ status: stored.status }, 'same file uploaded again; using its declaration');
  }

  if (await needsProcessing(context.prisma, stored.id)) await context.scheduler.schedule(stored.id);
  const current = await context.prisma.declaration.findUniqueOrThrow({ where: { id: stored.id }, select: { status: true } });
  return { id: stored.id, status: current.status, created: stored.created };
}

function checkFileType(file: UploadedFile) {
  try {
    detectFormat(file.bytes, file.fileName);
  } catch (error) {
    if (!isDeclarationFileError(error)) throw error;
    if (error.code === 'empty-file') throw new HttpError(400, 'empty-file', error.message);
    if (UNSUPPORTED_TYPE_CODES.has(error.code)) throw new HttpError(415, 'unsupported-file-type', error.message);
    // A truncated or otherwise damaged file of a supported type is stored, and processing records why it failed.
  }
}

/** Tells whether to schedule a declaration: it is still queued, or its processing failed for a reason outside the file. */
async function needsProcessing(prisma: PrismaClient, declarationId: string): Promise<boolean> {
  const declaration = await prisma.declaration.findUniqueOrThrow({ where: { id: declarationId }, select: { status: true, errorCode: true } });
  if (declaration.status === 'queued' || declaration.status === 'processing') return true;
  return declaration.status === 'failed' && declaration.errorCode === 'processing-failed';
}

/**
 * Rejects with 403 a declaration whose cover names another supplier, system or municipality than
 * the uploader's own, because its deviations would be shown to that other party. A fact the
 * cover leaves out is not compared. A file that cannot be parsed is let through: it ends as
 * failed, without deviations, and only the uploader and the administration see it. Returns
 * 'named' when the cover names the uploader's supplier, and 'unconfirmed' otherwise.
 */
async function checkDeclarant(actor: Actor, file: UploadedFile): Promise<'named' | 'unconfirmed'> {
  let cover: CoverFacts;
  try {
    cover = (await parseDeclaration(file.bytes, file.fileName)).cover;
  } catch (error) {
    if (error instanceof DeclarationFileError) return 'unconfirmed';
    throw error;
  }

  const mismatches: string[] = [];
  const supplierCode = supplierCodeFor(cover);
  const ownSupplierCode = actor.role === 'supplier' ? actor.party!.code : actor.businessSystem!.supplierCode;
  if (supplierCode && supplierCode !== ownSupplierCode) {
    const named = cover.supplier ? `${cover.supplier} (${supplierCode})` : supplierCode;
    // A municipality user may not see a sole trader's code, which contains a personal identity number.
    mismatches.push(`supplier ${named} where your account is for ${partyCodeText(ownSupplierCode, actor.role === 'supplier')}`);
  }
  if (actor.role === 'municipality') {
    const system = actor.businessSystem!;
    if (cover.system && !sameName(cover.system, system.name)) mismatches.push(`system '${cover.system}' where your account is for '${system.name}'`);
    if (cover.municipality && !sameName(cover.municipality, actor.municipality!)) {
      mismatches.push(`municipality '${cover.municipality}' where your account is for '${actor.municipality}'`);
    }
  }
  if (mismatches.length > 0) {
    throw new HttpError(
      403,
      'declarant-mismatch',
      `The declaration names ${mismatches.join(', and ')}. Upload only your own declarations, or ask the administration to upload this one.`,
    );
  }
  return supplierCode === ownSupplierCode ? 'named' : 'unconfirmed';
}

