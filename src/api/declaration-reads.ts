/** Every read of declarations and their files, each limited to the caller's scope from scope.ts. */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { Actor } from '../workflow/actor.ts';
import { DEVIATION_ORDER } from './deviation-reads.ts';
import { HttpError, notFound } from './errors.ts';
import {
  DECLARATION_DETAIL_SELECT,
  DECLARATION_SUMMARY_SELECT,
  DEVIATION_SUMMARY_SELECT,
  presentDeclarationDetail,
  presentDeclarationSummary,
  presentDeviationSummary,
} from './present.ts';
import { declarationScope, deviationScope, mayReadDeclarationContact } from './scope.ts';

/** Lists the declarations the actor may see, newest first. */
export async function listDeclarations(prisma: PrismaClient, actor: Actor, page: { limit: number; offset: number }) {
  const where = declarationScope(actor);
  const [records, total] = await Promise.all([
    prisma.declaration.findMany({
      where,
      select: DECLARATION_SUMMARY_SELECT,
      orderBy: [{ receivedAt: 'desc' }, { id: 'asc' }],
      skip: page.offset,
      take: page.limit,
    }),
    prisma.declaration.count({ where }),
  ]);
  return { items: records.map(presentDeclarationSummary), total, ...page };
}

/** Reads a declaration and those of its deviations the actor may see; 404 when the actor may not see the declaration. */
export async function readDeclaration(prisma: PrismaClient, actor: Actor, id: string, today: string) {
  const record = await prisma.declaration.findFirst({ where: inScope(actor, id), select: DECLARATION_DETAIL_SELECT });
  if (!record) throw notFound('Declaration', id);
  const deviations = await prisma.deviation.findMany({
    where: { AND: [{ declarationId: id }, deviationScope(actor)] },
    select: DEVIATION_SUMMARY_SELECT,
    orderBy: DEVIATION_ORDER,
  });
  return presentDeclarationDetail(record, {
    contactVisible: mayReadDeclarationContact(actor, record),
    deviations: deviations.map((deviation) => presentDeviationSummary(deviation, today)),
  });
}

/** Tells whether the actor may see the declaration. */
export async function isDeclarationVisible(prisma: PrismaClient, actor: Actor, id: string): Promise<boolean> {
  return (await prisma.declaration.count({ where: inScope(actor, id) })) === 1;
}

/**
 * Reads the original file. 404 when the actor may not see the declaration; 403 when it may see
 * the declaration but not its contact details, which the file contains.
 */
export async function readDeclarationFile(prisma: PrismaClient, actor: Actor, id: string) {
  const record = await prisma.declaration.findFirst({
    where: inScope(actor, id),
    select: { fileName: true, mediaType: true, supplierId: true, uploadedById: true, file: { select: { content: true } } },
  });
  if (!record || !record.file) throw notFound('Declaration', id);
  if (!mayReadDeclarationContact(actor, record)) {
    throw new HttpError(
      403,
      'file-restricted',
      'The original file contains the declarer\'s contact details, which only the administration, the uploader and the declaring supplier may download.',
    );
  }
  return { fileName: record.fileName, mediaType: record.mediaType, content: record.file.content };
}

function inScope(actor: Actor, id: string): Prisma.DeclarationWhereInput {
  return { AND: [{ id }, declarationScope(actor)] };
}
