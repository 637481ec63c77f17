/**
 * Reads what is stored about one declaration and the deviations its rows may concern, as the
 * input of the deviation plan (sync-plan.ts). Both a first processing and a re-processing read
 * this state, so that both follow the same rules for deduplication and suggestions.
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export type Reader = Prisma.TransactionClient | PrismaClient;

export const STORED_ROW_SELECT = {
  id: true,
  position: true,
  requirementId: true,
  areaHint: true,
  text: true,
  answer: true,
  answerRaw: true,
  comment: true,
  attachments: true,
  sourceSheet: true,
  sourceRow: true,
  sourcePage: true,
  sourceLine: true,
} as const satisfies Prisma.RequirementRowSelect;
export type StoredRow = Prisma.RequirementRowGetPayload<{ select: typeof STORED_ROW_SELECT }>;

export const DEVIATION_STATE_SELECT = {
  id: true,
  naturalKey: true,
  status: true,
  declarationId: true,
  requirementRowId: true,
  requirementId: true,
  answer: true,
  title: true,
  reproduction: true,
  result: true,
  material: true,
  contactName: true,
  contactPhone: true,
  contactEmail: true,
  missingFields: true,
  proposedArea: true,
  proposedPartyKind: true,
  proposedPartyCode: true,
  proposalRuleIds: true,
  proposalEvidence: true,
  proposalConfidence: true,
  proposalCandidates: true,
  newRequirement: true,
  parserVersion: true,
  ruleSetVersion: true,
  fieldSources: true,
  ownerSetBy: true,
  reportedById: true,
  pendingSuggestion: true,
  _count: { select: { comments: true, attachments: true } },
  occurrences: { where: { withdrawnAt: null }, select: { declarationId: true, seenAt: true } },
} as const satisfies Prisma.DeviationSelect;
export type DeviationState = Prisma.DeviationGetPayload<{ select: typeof DEVIATION_STATE_SELECT }>;

/** A link between the declaration and a deviation: an occurrence, or a deviation stored before occurrences existed. */
export interface StoredSlot {
  /** Null for a deviation of this declaration stored before occurrences existed. */
  occurrenceId: string | null;
  deviationId: string;
  rowId: string | null;
  answer: string | null;
  withdrawn: boolean;
}

export interface SyncState {
  rows: StoredRow[];
  slots: StoredSlot[];
  /** Every deviation the plan may touch, by id. */
  deviations: Map<string, DeviationState>;
  /** Deviation ids by natural key, for the keys the declaration's rows have. */
  byKey: Map<string, string>;
  /** `deviationId|kind|declarationId` of every suggestion made before, so that none is made twice. */
  suggestionsMade: Set<string>;
}

export const suggestionMark = (deviationId: string, kind: string, declarationId: string) => `${deviationId}|${kind}|${declarationId}`;

/**
 * Reads the declaration's rows, its occurrences and the deviations with the given natural keys.
 * `hasRecords` false means that nothing of the declaration is stored yet, as on its first
 * processing, and skips the reads that could only come back empty.
 */
export async function loadSyncState(db: Reader, declarationId: string, keys: readonly string[], hasRecords = true): Promise<SyncState> {
  if (!hasRecords) return loadDeviations(db, [], [], keys);
  const rows = await db.requirementRow.findMany({ where: { declarationId }, select: STORED_ROW_SELECT, orderBy: { position: 'asc' } });
  const occurrences = await db.deviationOccurrence.findMany({
    where: { declarationId },
    select: { id: true, deviationId: true, requirementRowId: true, answer: true, withdrawnAt: true },
  });
  const withOccurrence = new Set(occurrences.map((occurrence) => occurrence.deviationId));
  const legacy = await db.deviation.findMany({
    where: { declarationId, id: { notIn: [...withOccurrence] } },
    select: { id: true, requirementRowId: true, answer: true },
  });
  const slots: StoredSlot[] = [
    ...occurrences.map((occurrence) => ({
      occurrenceId: occurrence.id,
      deviationId: occurrence.deviationId,
      rowId: occurrence.requirementRowId,
      answer: occurrence.answer,
      withdrawn: occurrence.withdrawnAt !== null,
    })),
    ...legacy.map((deviation) => ({
      occurrenceId: null,
      deviationId: deviation.id,
      rowId: deviation.requirementRowId,
      answer: deviation.answer,
      withdrawn: false,
    })),
  ];

  return loadDeviations(db, rows, slots, keys);
}

/**
 * Finds the deviations with any of the keys. The keys go as one JSON parameter, because a large
 * declaration has tens of thousands of them, and mostly none is stored yet.
 */
async function deviationIdsWithKeys(db: Reader, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const found = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text AS id FROM "Deviation" WHERE "naturalKey" IN (SELECT json_array_elements_text($1::json))`,
    JSON.stringify(keys),
  );
  return found.map((deviation) => deviation.id);
}

/** The state of a declaration with nothing stored, whose rows match no stored deviation. */
export const emptySyncState = (): SyncState => ({ rows: [], slots: [], deviations: new Map(), byKey: new Map(), suggestionsMade: new Set() });

async function loadDeviations(db: Reader, rows: StoredRow[], slots: StoredSlot[], keys: readonly string[]): Promise<SyncState> {
  const ids = new Set([...slots.map((slot) => slot.deviationId), ...(await deviationIdsWithKeys(db, keys))]);
  if (ids.size === 0) return { ...emptySyncState(), rows };
  const records = await db.deviation.findMany({ where: { id: { in: [...ids] } }, select: DEVIATION_STATE_SELECT });
  const deviations = new Map(records.map((record) => [record.id, record]));
  const byKey = new Map<string, string>();
  for (const record of records) if (record.naturalKey) byKey.set(record.naturalKey, record.id);

  if (deviations.size === 0) return { rows, slots, deviations, byKey, suggestionsMade: new Set() };
  const suggestionEvents = await db.deviationEvent.findMany({
    where: { deviationId: { in: [...deviations.keys()] }, type: 'suggestion-made' },
    select: { deviationId: true, toValue: true },
  });
  const suggestionsMade = new Set<string>();
  for (const event of suggestionEvents) {
    const value = event.toValue as { kind?: string; declarationId?: string } | null;
    if (value?.kind && value.declarationId) suggestionsMade.add(suggestionMark(event.deviationId, value.kind, value.declarationId));
  }
  return { rows, slots, deviations, byKey, suggestionsMade };
}
