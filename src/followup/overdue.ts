/**
 * Finds the overdue deviations that an actor may see, grouped per party waited on. The
 * deviations are read in pages through the actor's scope from src/api/scope.ts, so the same
 * visibility and contact rules hold here as for every other read.
 */
import { contactText, partyCodeText } from '../api/contact-text.ts';
import { checkPartyFilter } from '../api/party-filter.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { CONTACT_FACTS_SELECT, deviationScope, mayReadDeviationContact } from '../api/scope.ts';
import { fromDbArea, fromDbPartyKind, toDbArea } from '../db/enums.ts';
import type { PartyKind } from '../rules/model.ts';
import { isAdministration, type Actor } from '../workflow/actor.ts';
import { toCalendarDate } from '../workflow/dates.ts';
import { OWNER_AREAS, PARTY_KIND_OF_AREA, type OwnerArea } from '../workflow/ownership.ts';
import { fromDbStatus, toDbStatus, type DeviationStatus } from '../workflow/state-machine.ts';
import { assessDeviation, type OverdueAssessment } from './assess.ts';
import { parseCalendarDate } from './calendar.ts';
import type { FollowupSettings } from './settings.ts';
import { WAITING_RULES } from './waiting.ts';

export interface OverdueDeviation extends OverdueAssessment {
  id: string;
  title: string;
  status: DeviationStatus;
  requirementId: string | null;
  supplierCode: string | null;
  businessSystem: { id: string; name: string } | null;
  municipality: string | null;
  dueDate: string | null;
  /** Null when scope.ts does not let the reader see it; contactRestricted is then true. */
  contact: { name: string | null; phone: string | null; email: string | null } | null;
  contactRestricted: boolean;
}

export interface PartyRef {
  code: string;
  kind: PartyKind;
  name: string;
}

export interface OverdueGroup {
  party: PartyRef;
  items: OverdueDeviation[];
}

export interface FollowupReport {
  /** The Swedish calendar date the report is made for, YYYY-MM-DD. */
  today: string;
  total: number;
  groups: OverdueGroup[];
}

/** The history events that start a clock: entering a status, and getting an owner. */
const STATUS_EVENT_TYPES = ['created', 'status-changed', 'reopened'];
const OWNER_EVENT_TYPES = ['owner-confirmed', 'owner-assigned'];

const FOLLOWUP_SELECT = {
  id: true,
  title: true,
  status: true,
  requirementId: true,
  municipality: true,
  businessSystem: { select: { id: true, name: true } },
  dueDate: true,
  ownerArea: true,
  createdAt: true,
  contactName: true,
  contactPhone: true,
  contactEmail: true,
  ...CONTACT_FACTS_SELECT,
  events: {
    where: { type: { in: [...STATUS_EVENT_TYPES, ...OWNER_EVENT_TYPES] } },
    select: { type: true, at: true },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
  },
} as const satisfies Prisma.DeviationSelect;
type FollowupRecord = Prisma.DeviationGetPayload<{ select: typeof FOLLOWUP_SELECT }>;

const PARTY_KIND_ORDER: PartyKind[] = ['administration', 'supplier', 'data-provider', 'operations'];

const FOLLOWED_STATUSES = (Object.keys(WAITING_RULES) as DeviationStatus[]).filter((status) => WAITING_RULES[status] !== 'paused');
/** Statuses that wait on the owner once a person has set one, and on the administration before. */
const OWNER_STATUSES = FOLLOWED_STATUSES.filter((status) => WAITING_RULES[status] === 'owner' || WAITING_RULES[status] === 'due-date');
const ADMINISTRATION_STATUSES = FOLLOWED_STATUSES.filter((status) => WAITING_RULES[status] === 'administration');

export interface FindOverdueOptions {
  /** Deviations read per query; bounds the memory used for deviations that are not overdue. */
  pageSize?: number;
  /** Only the group of this party code. */
  party?: string;
}

export interface FollowupParties {
  /** Every stored party by code. */
  byCode: Map<string, PartyRef>;
  administration: PartyRef;
}

/**
 * Lists the overdue deviations the actor may see on `today` (YYYY-MM-DD, a Swedish date), grouped
 * per party waited on: the administration first, then suppliers, data providers and the operations
 * party, each by code. Within a group the most working days over come first.
 * NOTE: the whole report is held in memory, about 4 KB per overdue deviation as measured in
 * docs/followup.md. writeDigests in digest.ts writes one party at a time in bounded memory instead.
 */
export async function findOverdue(
  prisma: PrismaClient,
  actor: Actor,
  settings: FollowupSettings,
  today: string,
  options: FindOverdueOptions = {},
): Promise<FollowupReport> {
  const todayDate = parseCalendarDate(today);
  if (options.party) await checkPartyFilter(prisma, options.party, actor);
  const parties = await loadFollowupParties(prisma);
  const groups = new Map<string, OverdueGroup>();
  const pages = readOverdue(prisma, actor, settings, todayDate, parties.administration.code, {
    pageSize: options.pageSize,
    waitingOn: options.party,
  });

  for await (const page of pages) {
    for (const item of page) {
      const party = parties.byCode.get(item.waitingOn.code) ?? { ...item.waitingOn, name: item.waitingOn.code };
      const group = groups.get(party.code) ?? { party, items: [] };
      group.items.push(item);
      groups.set(party.code, group);
    }
  }

  const sorted = [...groups.values()].sort((a, b) => compareParties(a.party, b.party));
  for (const group of sorted) group.items.sort(compareOverdue);
  return { today, total: sorted.reduce((sum, group) => sum + group.items.length, 0), groups: sorted.map((group) => withPartyCodeMasked(group, actor)) };
}

/**
 * Masks the code of the party waited on, for callers other than the administration and that party
 * itself, as the API's lists do, because a sole trader's code contains a personal identity number.
 * Groups are formed before, so that two masked codes still give two groups.
 */
function withPartyCodeMasked(group: OverdueGroup, actor: Actor): OverdueGroup {
  if (isAdministration(actor) || actor.party?.code === group.party.code) return group;
  const code = partyCodeText(group.party.code, false);
  if (code === group.party.code) return group;
  return {
    party: { ...group.party, code },
    items: group.items.map((item) => ({ ...item, waitingOn: { ...item.waitingOn, code } })),
  };
}

/** Orders parties as the report does: by kind, the administration first, then by code. */
export function compareParties(a: PartyRef, b: PartyRef): number {
  return PARTY_KIND_ORDER.indexOf(a.kind) - PARTY_KIND_ORDER.indexOf(b.kind) || a.code.localeCompare(b.code);
}

/** Orders deviations as the report does: the most working days over first, then by deadline and id. */
export function compareOverdue(a: OverdueDeviation, b: OverdueDeviation): number {
  return b.workingDaysOver - a.workingDaysOver || a.deadline.localeCompare(b.deadline) || a.id.localeCompare(b.id);
}

/** Loads every stored party, and the administration party, which must exist. */
export async function loadFollowupParties(prisma: PrismaClient): Promise<FollowupParties> {
  const stored = await prisma.party.findMany({ select: { code: true, kind: true, name: true } });
  const byCode = new Map(stored.map((party) => [party.code, { code: party.code, kind: fromDbPartyKind(party.kind), name: party.name }]));
  const administration = [...byCode.values()].find((party) => party.kind === 'administration');
  if (!administration) throw new Error('No administration party is stored; run `avvik db migrate` to load the reference parties.');
  return { byCode, administration };
}

/**
 * Returns the party codes besides the administration's that followed deviations can wait on: the
 * owners a person set on deviations in an owner or due-date status.
 */
export async function findOwnersWaitedOn(prisma: PrismaClient): Promise<string[]> {
  const owners = await prisma.deviation.groupBy({
    by: ['ownerPartyCode'],
    where: { status: { in: OWNER_STATUSES.map(toDbStatus) }, ownerArea: { in: OWNER_AREAS.map(toDbArea) }, ownerPartyCode: { not: null } },
  });
  return owners.map((owner) => owner.ownerPartyCode).filter((code): code is string => Boolean(code));
}

export interface ReadOverdueOptions {
  /** Deviations read per query; bounds the memory used for deviations that are not overdue. */
  pageSize?: number;
  /** Only the deviations that wait on this party code. */
  waitingOn?: string;
}

/**
 * Reads the overdue deviations the actor may see on `today` (a Swedish calendar date as midnight
 * UTC), one page of deviations per query in id order, and yields the overdue ones of each page.
 * Only one page of deviations is held at a time.
 */
export async function* readOverdue(
  prisma: PrismaClient,
  actor: Actor,
  settings: FollowupSettings,
  today: Date,
  administrationCode: string,
  options: ReadOverdueOptions = {},
): AsyncGenerator<OverdueDeviation[]> {
  const conditions: Prisma.DeviationWhereInput[] = [deviationScope(actor), { status: { in: FOLLOWED_STATUSES.map(toDbStatus) } }];
  if (options.waitingOn) conditions.push(waitingOnFilter(options.waitingOn, administrationCode));
  const pageSize = options.pageSize ?? 500;
  let lastId: string | undefined;

  for (;;) {
    const page: FollowupRecord[] = await prisma.deviation.findMany({
      where: { AND: lastId ? [...conditions, { id: { gt: lastId } }] : conditions },
      select: FOLLOWUP_SELECT,
      orderBy: { id: 'asc' },
      take: pageSize,
    });
    const overdue: OverdueDeviation[] = [];
    for (const record of page) {
      const assessment = assessDeviation(factsOf(record), settings, today, administrationCode);
      if (!assessment) continue;
      if (options.waitingOn && assessment.waitingOn.code !== options.waitingOn) continue;
      overdue.push(present(record, assessment, mayReadDeviationContact(actor, record)));
    }
    if (overdue.length > 0) yield overdue;
    if (page.length < pageSize) return;
    lastId = page[page.length - 1]!.id;
  }
}

/**
 * Builds the filter that matches the deviations that can wait on a party, the waiting rule of
 * assessDeviation in SQL, so that reading one party's deviations does not read everyone's.
 * assessDeviation still decides whether each of them is overdue and whom it waits on.
 */
function waitingOnFilter(code: string, administrationCode: string): Prisma.DeviationWhereInput {
  const ownedBy: Prisma.DeviationWhereInput = {
    status: { in: OWNER_STATUSES.map(toDbStatus) },
    ownerArea: { in: OWNER_AREAS.map(toDbArea) },
    ownerPartyCode: code,
  };
  if (code !== administrationCode) return ownedBy;
  const withoutOwner: Prisma.DeviationWhereInput = {
    status: { in: OWNER_STATUSES.map(toDbStatus) },
    OR: [{ ownerArea: null }, { ownerArea: 'unassigned' }, { ownerPartyCode: null }, { ownerPartyCode: '' }],
  };
  return { OR: [ownedBy, { status: { in: ADMINISTRATION_STATUSES.map(toDbStatus) } }, withoutOwner] };
}

function factsOf(record: FollowupRecord) {
  // Events are newest first, so the first match is the latest.
  const statusEvent = record.events.find((event) => STATUS_EVENT_TYPES.includes(event.type));
  const ownerEvent = record.events.find((event) => OWNER_EVENT_TYPES.includes(event.type));
  const ownerArea = record.ownerArea ? fromDbArea(record.ownerArea) : null;
  const owner = ownerArea && ownerArea !== 'unassigned' && record.ownerPartyCode
    ? { kind: PARTY_KIND_OF_AREA[ownerArea as OwnerArea], code: record.ownerPartyCode }
    : null;
  return {
    status: fromDbStatus(record.status),
    dueDate: toCalendarDate(record.dueDate),
    owner,
    statusEnteredAt: statusEvent?.at ?? record.createdAt,
    ownerSetAt: owner ? (ownerEvent?.at ?? null) : null,
  };
}

function present(record: FollowupRecord, assessment: OverdueAssessment, contactVisible: boolean): OverdueDeviation {
  return {
    id: record.id,
    title: contactText(record.title, contactVisible),
    status: fromDbStatus(record.status),
    requirementId: contactText(record.requirementId, contactVisible),
    supplierCode: partyCodeText(record.supplierCode, contactVisible),
    businessSystem: record.businessSystem,
    municipality: record.municipality,
    dueDate: toCalendarDate(record.dueDate),
    ...assessment,
    contact: contactVisible ? { name: record.contactName, phone: record.contactPhone, email: record.contactEmail } : null,
    contactRestricted: !contactVisible,
  };
}
