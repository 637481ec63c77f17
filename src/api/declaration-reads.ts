/** Every read of declarations and their files, each limited to the caller's scope from scope.ts. */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { fromDbAnswer } from '../db/enums.ts';
import { isAdministration, type Actor } from '../workflow/actor.ts';
import { DEVIATION_ORDER } from './deviation-reads.ts';
import { HttpError, notFound } from './errors.ts';
import {
  DECLARATION_DETAIL_SELECT,
  DECLARATION_SUMMARY_SELECT,
  DEVIATION_SUMMARY_SELECT,
  presentDeclarationDetail,
  presentDeclarationSummary,
  presentDeviationSummary,
  presentSource,
} from './present.ts';
import { contactText } from './contact-text.ts';
import { CONTACT_FACTS_SELECT, declarationScope, deviationScope, mayReadDeclarationContact, mayReadDeviationContact } from './scope.ts';

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
  const namesVisible = isAdministration(actor);
  return { items: records.map((record) => presentDeclarationSummary(record, namesVisible)), total, ...page };
}

/** Reads a declaration and those of its deviations the actor may see; 404 when the actor may not see the declaration. */
export async function readDeclaration(prisma: PrismaClient, actor: Actor, id: string, today: string) {
  const record = await prisma.declaration.findFirst({ where: inScope(actor, id), select: DECLARATION_DETAIL_SELECT });
  if (!record) throw notFound('Declaration', id);
  const deviations = await prisma.deviation.findMany({
    // The deviations this declaration reports: its own and earlier ones it reported again.
    where: { AND: [{ OR: [{ declarationId: id }, { occurrences: { some: { declarationId: id, withdrawnAt: null } } }] }, deviationScope(actor)] },
    select: DEVIATION_SUMMARY_SELECT,
    orderBy: DEVIATION_ORDER,
  });
  return presentDeclarationDetail(record, {
    contactVisible: mayReadDeclarationContact(actor, record),
    deviations: deviations.map((deviation) => presentDeviationSummary(deviation, today, isAdministration(actor))),
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

const CONTEXT_ROW_SELECT = {
  position: true,
  requirementId: true,
  areaHint: true,
  text: true,
  answer: true,
  answerRaw: true,
  comment: true,
  sourceSheet: true,
  sourceRow: true,
  sourcePage: true,
  sourceLine: true,
} as const satisfies Prisma.RequirementRowSelect;
type ContextRowRecord = Prisma.RequirementRowGetPayload<{ select: typeof CONTEXT_ROW_SELECT }>;

/**
 * Reads the requirement rows around a deviation's source row, as the declaration had them.
 * 404 when the actor may not see the deviation. The neighbouring rows belong to the declaration,
 * so an actor who sees the deviation but not its declaration (a data provider or the operations
 * party) gets the source row alone.
 */
export async function readDeviationContext(prisma: PrismaClient, actor: Actor, id: string, around: number) {
  const deviation = await prisma.deviation.findFirst({
    where: { AND: [{ id }, deviationScope(actor)] },
    select: {
      ...CONTACT_FACTS_SELECT,
      id: true,
      declarationId: true,
      declaration: { select: { fileName: true, uploadedById: true } },
      requirementRow: { select: { position: true } },
    },
  });
  if (!deviation) throw notFound('Deviation', id);

  // A row's text and comment may name a person, as the deviation's contact does, and so may the file name.
  const contactVisible = mayReadDeviationContact(actor, deviation);
  const fileName = contactText(deviation.declaration?.fileName ?? null, contactVisible);
  const base = { deviationId: deviation.id, declarationId: deviation.declarationId, fileName };
  const sourcePosition = deviation.requirementRow?.position;
  if (!deviation.declarationId || sourcePosition === undefined) {
    return { ...base, source: null, neighboursRestricted: false, rows: [] };
  }

  const declarationVisible = await isDeclarationVisible(prisma, actor, deviation.declarationId);
  const positions = declarationVisible ? { gte: sourcePosition - around, lte: sourcePosition + around } : { equals: sourcePosition };
  const rows = await prisma.requirementRow.findMany({
    where: { declarationId: deviation.declarationId, position: positions },
    select: CONTEXT_ROW_SELECT,
    orderBy: { position: 'asc' },
  });
  const presented = rows.map((row) => presentContextRow(row, sourcePosition, contactVisible));
  return {
    ...base,
    source: presented.find((row) => row.isSource)?.source ?? null,
    neighboursRestricted: !declarationVisible,
    rows: presented,
  };
}

function presentContextRow(row: ContextRowRecord, sourcePosition: number, contactVisible: boolean) {
  return {
    position: row.position,
    requirementId: contactText(row.requirementId, contactVisible),
    areaHint: contactText(row.areaHint, contactVisible),
    text: contactText(row.text, contactVisible),
    answer: fromDbAnswer(row.answer),
    answerRaw: contactText(row.answerRaw, contactVisible),
    comment: contactText(row.comment, contactVisible),
    source: presentSource(row, contactVisible),
    isSource: row.position === sourcePosition,
  };
}
