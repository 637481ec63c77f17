/**
 * Finds the overdue deviations that an actor may see, grouped per party waited on. The
 * deviations are read in pages through the actor's scope from src/api/scope.ts, so the same
 * visibility and contact rules hold here as for every other read.
 */
import { contactText } from '../api/contact-text.ts';
import { checkPartyFilter } from '../api/party-filter.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { CONTACT_FACTS_SELECT, deviationScope, mayReadDeviationContact } from '../api/scope.ts';
import { fromDbArea, fromDbPartyKind } from '../db/enums.ts';
import type { PartyKind } from '../rules/model.ts';
import type { Actor } from '../workflow/actor.ts';
import { toCalendarDate } from '../workflow/dates.ts';
import { PARTY_KIND_OF_AREA, type OwnerArea } from '../workflow/ownership.ts';
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

export interface FindOverdueOptions {
  /** Deviations read per query; bounds the memory used for deviations that are not overdue. */
  pageSize?: number;
  /** Only the group of this party code. */
  party?: string;
}

/**
 * Lists the overdue deviations the actor may see on `today` (YYYY-MM-DD, a Swedish date), grouped
 * per party waited on: the administration first, then suppliers, data providers and the operations
 * party, each by code. Within a group the most working days over come first.
 */
export async function findOverdue(
  prisma: PrismaClient,
  actor: Actor,
  settings: FollowupSettings,
  today: string,
  options: FindOverdueOptions = {},
): Promise<FollowupReport> {
  const todayDate = parseCalendarDate(today);
  if (options.party) await checkPartyFilter(prisma, options.party);
  const parties = await loadParties(prisma);
  const administration = [...parties.values()].find((party) => party.kind === 'administration');
  if (!administration) throw new Error('No administration party is stored; run `avvik db migrate` to load the reference parties.');

  const followedStatuses = (Object.keys(WAITING_RULES) as DeviationStatus[]).filter((status) => WAITING_RULES[status] !== 'paused');
  const where: Prisma.DeviationWhereInput = { AND: [deviationScope(actor), { status: { in: followedStatuses.map(toDbStatus) } }] };
  const pageSize = options.pageSize ?? 500;
  const groups = new Map<string, OverdueGroup>();
  let lastId: string | undefined;

  for (;;) {
    const page: FollowupRecord[] = await prisma.deviation.findMany({
      where: lastId ? { AND: [where, { id: { gt: lastId } }] } : where,
      select: FOLLOWUP_SELECT,
      orderBy: { id: 'asc' },
      take: pageSize,
    });
    for (const record of page) {
      const assessment = assessDeviation(factsOf(record), settings, todayDate, administration.code);
      if (!assessment) continue;
      if (options.party && assessment.waitingOn.code !== options.party) continue;
      const party = parties.get(assessment.waitingOn.code) ?? { ...assessment.waitingOn, name: assessment.waitingOn.code };
      const group = groups.get(party.code) ?? { party, items: [] };
      group.items.push(present(record, assessment, mayReadDeviationContact(actor, record)));
      groups.set(party.code, group);
    }
    if (page.length < pageSize) break;
    lastId = page[page.length - 1]!.id;
  }

  const sorted = [...groups.values()].sort(
    (a, b) => PARTY_KIND_ORDER.indexOf(a.party.kind) - PARTY_KIND_ORDER.indexOf(b.party.kind) || a.party.code.localeCompare(b.party.code),
  );
  for (const group of sorted) {
    group.items.sort((a, b) => b.workingDaysOver - a.workingDaysOver || a.deadline.localeCompare(b.deadline) || a.id.localeCompare(b.id));
  }
  return { today, total: sorted.reduce((sum, group) => sum + group.items.length, 0), groups: sorted };
}

async function loadParties(prisma: PrismaClient): Promise<Map<string, PartyRef>> {
  const parties = await prisma.party.findMany({ select: { code: true, kind: true, name: true } });
  return new Map(parties.map((party) => [party.code, { code: party.code, kind: fromDbPartyKind(party.kind), name: party.name }]));
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
    supplierCode: record.supplierCode,
    businessSystem: record.businessSystem,
    municipality: record.municipality,
    dueDate: toCalendarDate(record.dueDate),
    ...assessment,
    contact: contactVisible ? { name: record.contactName, phone: record.contactPhone, email: record.contactEmail } : null,
    contactRestricted: !contactVisible,
  };
}
