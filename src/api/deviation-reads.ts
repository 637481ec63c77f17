/**
 * Every read of deviations, their comments, attachments and history. Each query ANDs the
 * caller's scope from scope.ts, so a record outside it is never loaded, counted or matched
 * by a search, and a single read of such a record fails as if it did not exist.
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { toDbArea } from '../db/enums.ts';
import { isAdministration, type Actor } from '../workflow/actor.ts';
import { fromCalendarDate } from '../workflow/dates.ts';
import { DONE_STATUSES, toDbStatus } from '../workflow/state-machine.ts';
import { contactText } from './contact-text.ts';
import { notFound } from './errors.ts';
import { checkPartyFilter } from './party-filter.ts';
import {
  DEVIATION_DETAIL_SELECT,
  DEVIATION_SUMMARY_SELECT,
  presentDeviationDetail,
  presentDeviationSummary,
  presentUser,
  USER_REF_SELECT,
} from './present.ts';
import type { DeviationListQuery, DeviationSort } from './schemas.ts';
import { CONTACT_FACTS_SELECT, deviationScope, mayReadDeviationContact } from './scope.ts';
import { equalsIgnoringCase } from './text-match.ts';
import { textSearchCondition } from './text-search.ts';

const DONE_DB_STATUSES = DONE_STATUSES.map(toDbStatus);

/** Newest first; within one declaration, in the order of its rows. */
export const DEVIATION_ORDER: Prisma.DeviationOrderByWithRelationInput[] = [
  { createdAt: 'desc' },
  { requirementRow: { position: 'asc' } },
  { id: 'asc' },
];

/** Lists the deviations that the actor may see and that match the filters, with their total. */
export async function listDeviations(prisma: PrismaClient, actor: Actor, query: DeviationListQuery, today: string) {
  const where = await deviationWhere(prisma, actor, query, today);
  const [records, total] = await Promise.all([
    prisma.deviation.findMany({ where, select: DEVIATION_SUMMARY_SELECT, orderBy: orderFor(query.sort), skip: query.offset, take: query.limit }),
    prisma.deviation.count({ where }),
  ]);
  const namesVisible = isAdministration(actor);
  return { items: records.map((record) => presentDeviationSummary(record, today, namesVisible)), total, limit: query.limit, offset: query.offset };
}

/** Builds the requested order, then row order and id, so that pages never overlap. */
function orderFor(sort: DeviationSort | undefined): Prisma.DeviationOrderByWithRelationInput[] {
  if (!sort) return DEVIATION_ORDER;
  const direction = sort.startsWith('-') ? 'desc' : 'asc';
  const field = sort.replace(/^-/, '') as 'createdAt' | 'updatedAt' | 'dueDate';
  const first: Prisma.DeviationOrderByWithRelationInput =
    field === 'dueDate' ? { dueDate: { sort: direction, nulls: 'last' } } : { [field]: direction };
  return [first, { requirementRow: { position: 'asc' } }, { id: 'asc' }];
}

/** The list's filter parameters; paging and sorting are not filters. */
export type DeviationFilterQuery = Pick<DeviationListQuery, 'status' | 'area' | 'party' | 'declaration' | 'system' | 'municipality' | 'overdue' | 'q'>;

/**
 * Builds the condition of the actor's scope and the list's filters, for the list and for exports
 * alike, so that both give the same deviations. `today` is the Swedish date, YYYY-MM-DD. Free-text
 * search may read rows first to match masked text, as text-search.ts explains with its limit.
 * A party code that no party has raises 400 `unknown-party`.
 */
export async function deviationWhere(prisma: PrismaClient, actor: Actor, query: DeviationFilterQuery, today: string): Promise<Prisma.DeviationWhereInput> {
  if (query.party) await checkPartyFilter(prisma, query.party, actor);
  const conditions = [deviationScope(actor), ...filterConditions(query, today)];
  if (query.q) conditions.push(await textSearchCondition(prisma, actor, query.q, [...conditions]));
  return { AND: conditions };
}

/** Builds the conditions of every filter but free-text search, which needs the actor. */
function filterConditions(query: DeviationFilterQuery, today: string): Prisma.DeviationWhereInput[] {
  const conditions: Prisma.DeviationWhereInput[] = [];
  if (query.status) conditions.push({ status: { in: query.status.map(toDbStatus) } });
  if (query.area) {
    const area = toDbArea(query.area);
    conditions.push({ OR: [{ ownerArea: area }, { ownerArea: null, proposedArea: area }] });
  }
  if (query.party) {
    conditions.push({ OR: [{ ownerPartyCode: query.party }, { ownerPartyCode: null, proposedPartyCode: query.party }] });
  }
  if (query.declaration) {
    // A deviation belongs to every declaration that reported it, not only to the first.
    conditions.push({ OR: [{ declarationId: query.declaration }, { occurrences: { some: { declarationId: query.declaration, withdrawnAt: null } } }] });
  }
  if (query.system) conditions.push({ businessSystemId: query.system });
  // Stored names are in Unicode NFC, as declarations are read, so a decomposed 'å' in a query matches too.
  if (query.municipality) conditions.push({ municipality: equalsIgnoringCase(query.municipality.normalize('NFC')) });
  if (query.overdue !== undefined) {
    const startOfToday = fromCalendarDate(today)!;
    // Written out rather than as NOT(overdue), because NOT of a comparison with a null due date is null in SQL.
    conditions.push(
      query.overdue
        ? { dueDate: { lt: startOfToday }, status: { notIn: DONE_DB_STATUSES } }
        : { OR: [{ dueDate: null }, { dueDate: { gte: startOfToday } }, { status: { in: DONE_DB_STATUSES } }] },
    );
  }
  return conditions;
}

/** Reads one deviation with its comments, attachments and history; 404 when the actor may not see it. */
export async function readDeviation(prisma: PrismaClient, actor: Actor, id: string, today: string) {
  const record = await prisma.deviation.findFirst({ where: { AND: [{ id }, deviationScope(actor)] }, select: DEVIATION_DETAIL_SELECT });
  if (!record) throw notFound('Deviation', id);

  const userIds = [...new Set(record.events.map((event) => event.actor))].filter((actorId) => UUID.test(actorId));
  const users = await prisma.user.findMany({ where: { id: { in: userIds } }, select: USER_REF_SELECT });
  // Named here; presentDeviationDetail hides the names from callers who may not read contact details.
  const actors = new Map(users.map((user) => [user.id, presentUser(user, true)]));
  actors.set('system', { id: 'system', name: 'Avvik', role: null, partyCode: null });

  return presentDeviationDetail(record, { today, contactVisible: mayReadDeviationContact(actor, record), actors });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CHANGE_SELECT = {
  id: true,
  status: true,
  dueDate: true,
  supplierCode: true,
  ownerArea: true,
  ownerPartyCode: true,
  proposedArea: true,
  proposedPartyKind: true,
  proposedPartyCode: true,
} as const satisfies Prisma.DeviationSelect;

/** Reads the fields the workflow needs to change a deviation; 404 when the actor may not see it. */
export async function readDeviationForChange(prisma: PrismaClient, actor: Actor, id: string) {
  const record = await prisma.deviation.findFirst({ where: { AND: [{ id }, deviationScope(actor)] }, select: CHANGE_SELECT });
  if (!record) throw notFound('Deviation', id);
  return record;
}

/** Reads an attachment's bytes; 404 when the actor may not see its deviation. */
export async function readAttachment(prisma: PrismaClient, actor: Actor, id: string) {
  const attachment = await prisma.deviationAttachment.findFirst({
    where: { id, deviation: { is: deviationScope(actor) } },
    select: { fileName: true, mediaType: true, content: true, deviation: { select: CONTACT_FACTS_SELECT } },
  });
  if (!attachment) throw notFound('Attachment', id);
  const { deviation, ...file } = attachment;
  // The download's file name is masked as the attachment list masks it.
  return { ...file, fileName: contactText(file.fileName, mayReadDeviationContact(actor, deviation)) };
}
