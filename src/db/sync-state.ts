/**
 * Reads what is stored about one declaration and the deviations its rows may concern, as the
 * input of the deviation plan (sync-plan.ts). Both a first processing and a re-processing read
 * this state, so that both follow the same rules for deduplication and suggestions.
 */
import type { Answer as DbAnswer, Prisma } from '../generated/prisma/client.ts';
import { declaredAt, naturalKeyFor } from '../declarations/natural-key.ts';
import { preparedStatement } from './prepared.ts';
import type { SqlSession } from './sql.ts';

export type StoredRow = Prisma.RequirementRowGetPayload<{
  select: {
    id: true;
    position: true;
    requirementId: true;
    areaHint: true;
    text: true;
    answer: true;
    answerRaw: true;
    comment: true;
    attachments: true;
    sourceSheet: true;
    sourceRow: true;
    sourcePage: true;
    sourceLine: true;
  };
}>;

/** The deviation's columns that a plan reads, its comment and attachment counts and its open occurrences. */
export type DeviationState = Prisma.DeviationGetPayload<{
  select: {
    id: true;
    naturalKey: true;
    status: true;
    declarationId: true;
    requirementRowId: true;
    requirementId: true;
    answer: true;
    title: true;
    reproduction: true;
    result: true;
    material: true;
    contactName: true;
    contactPhone: true;
    contactEmail: true;
    missingFields: true;
    proposedArea: true;
    proposedPartyKind: true;
    proposedPartyCode: true;
    proposalRuleIds: true;
    proposalEvidence: true;
    proposalConfidence: true;
    proposalCandidates: true;
    newRequirement: true;
    parserVersion: true;
    ruleSetVersion: true;
    fieldSources: true;
    ownerSetBy: true;
    reportedById: true;
    pendingSuggestion: true;
    _count: { select: { comments: true; attachments: true } };
    occurrences: { select: { declarationId: true; seenAt: true } };
  };
}>;

/** A link between the declaration and a deviation: an occurrence, or a deviation stored before occurrences existed. */
export interface StoredSlot {
  /** Null for a deviation of this declaration stored before occurrences existed. */
  occurrenceId: string | null;
  deviationId: string;
  rowId: string | null;
  /** The answer as the database spells it, such as not_met. */
  answer: DbAnswer | null;
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
  /**
   * The latest report each kind of suggestion on a deviation was made from, pending or settled,
   * by `deviationId|kind`, so that an older report never makes the suggestion again.
   */
  latestSuggested: Map<string, { declarationId: string; declaredAt: string }>;
  /**
   * For each natural key of the declaration's candidates, the latest other declaration of the same
   * system that is dated later and reports the requirement as met.
   */
  laterMet: Map<string, { declarationId: string; declaredAt: Date }>;
}

/** The facts of the declaration being stored that loadSyncState reads by. */
export interface IncomingKeys {
  declarationId: string;
  declaredAt: Date;
  supplierCode: string | null;
  businessSystemId: string | null;
  /** The natural keys of the declaration's rows. */
  keys: readonly string[];
  /** The natural keys of its candidates, the rows it reports not met or partly met. */
  candidateKeys: ReadonlySet<string>;
  /** The normalised requirement ids of those candidates. */
  candidateIds: readonly string[];
}

export const suggestionMark = (deviationId: string, kind: string, declarationId: string) => `${deviationId}|${kind}|${declarationId}`;

const READ_ROWS = preparedStatement(
  'avvik_read_rows',
  `
SELECT id::text AS id, position, "requirementId", "areaHint", text, answer::text AS answer, "answerRaw", comment,
  attachments, "sourceSheet", "sourceRow", "sourcePage", "sourceLine"
FROM "RequirementRow" WHERE "declarationId" = $1::uuid ORDER BY position`,
);

/**
 * The declaration's occurrences, and its deviations stored before occurrences existed, which have
 * no occurrence of it. Both come as slots in one statement.
 */
const READ_SLOTS = preparedStatement(
  'avvik_read_slots',
  `
SELECT o.id::text AS "occurrenceId", o."deviationId"::text AS "deviationId", o."requirementRowId"::text AS "rowId",
  o.answer::text AS answer, o."withdrawnAt" IS NOT NULL AS withdrawn
FROM "DeviationOccurrence" o WHERE o."declarationId" = $1::uuid
UNION ALL
SELECT NULL, v.id::text, v."requirementRowId"::text, v.answer::text, false
FROM "Deviation" v WHERE v."declarationId" = $1::uuid
  AND NOT EXISTS (SELECT 1 FROM "DeviationOccurrence" o WHERE o."declarationId" = $1::uuid AND o."deviationId" = v.id)`,
);

/**
 * Finds the deviations with any of the keys. The keys go as one JSON parameter, because a large
 * declaration has tens of thousands of them, and mostly none is stored yet.
 */
const FIND_BY_KEYS = preparedStatement(
  'avvik_find_by_keys',
  `SELECT id::text AS id FROM "Deviation" WHERE "naturalKey" IN (SELECT json_array_elements_text($1::json))`,
);

/**
 * The deviations with the ids in the JSON array $1. Ids go through `= ANY (ARRAY(...))` here and
 * below, so that the lookup uses the index in every plan: with `IN (SELECT ...)`, the generic plan
 * that PostgreSQL caches for a prepared statement assumes 100 ids and scanned whole tables. The open occurrences come as a JSON array,
 * whose timestamps are text without a zone, in UTC as every stored timestamp.
 */
const READ_DEVIATIONS = preparedStatement(
  'avvik_read_deviations',
  `
SELECT d.id::text AS id, d."naturalKey", d.status::text AS status, d."declarationId"::text AS "declarationId",
  d."requirementRowId"::text AS "requirementRowId", d."requirementId", d.answer::text AS answer, d.title,
  d.reproduction, d.result, d.material, d."contactName", d."contactPhone", d."contactEmail", d."missingFields",
  d."proposedArea"::text AS "proposedArea", d."proposedPartyKind"::text AS "proposedPartyKind",
  d."proposedPartyCode", d."proposalRuleIds", d."proposalEvidence", d."proposalConfidence",
  d."proposalCandidates", d."newRequirement", d."parserVersion", d."ruleSetVersion", d."fieldSources",
  d."ownerSetBy", d."reportedById"::text AS "reportedById", d."pendingSuggestion",
  (SELECT count(*)::int FROM "DeviationComment" c WHERE c."deviationId" = d.id) AS "commentCount",
  (SELECT count(*)::int FROM "DeviationAttachment" a WHERE a."deviationId" = d.id) AS "attachmentCount",
  (SELECT coalesce(json_agg(json_build_object('declarationId', o."declarationId", 'seenAt', o."seenAt")), '[]'::json)
    FROM "DeviationOccurrence" o WHERE o."deviationId" = d.id AND o."withdrawnAt" IS NULL) AS occurrences
FROM "Deviation" d WHERE d.id = ANY (ARRAY(SELECT json_array_elements_text($1::json)::uuid))`,
);

const READ_SUGGESTIONS = preparedStatement(
  'avvik_read_suggestions',
  `
SELECT "deviationId"::text AS "deviationId", "toValue" FROM "DeviationEvent"
WHERE "deviationId" = ANY (ARRAY(SELECT json_array_elements_text($1::json)::uuid)) AND type = 'suggestion-made'`,
);

type DeviationRow = Omit<DeviationState, '_count' | 'occurrences'> & {
  commentCount: number;
  attachmentCount: number;
  occurrences: { declarationId: string; seenAt: string }[];
};

/**
 * Reads the declaration's rows, its occurrences, the deviations with the given natural keys and
 * later met reports of its candidates' requirements. `hasRecords` false means that nothing of the declaration is stored yet, as on its first
 * processing, and skips the reads that could only come back empty.
 */
export async function loadSyncState(db: SqlSession, incoming: IncomingKeys, hasRecords = true): Promise<SyncState> {
  const { declarationId, keys } = incoming;
  const rows = hasRecords ? await db.query<StoredRow>(READ_ROWS, [declarationId]) : [];
  const slots = hasRecords ? await db.query<StoredSlot>(READ_SLOTS, [declarationId]) : [];
  const state = await loadDeviations(db, rows, slots, keys);
  return { ...state, laterMet: await loadLaterMet(db, incoming) };
}

/** The system's other parsed declarations, with the cover facts that give their declared dates and keys. */
const READ_SYSTEM_DECLARATIONS = preparedStatement(
  'avvik_read_system_declarations',
  `
SELECT d.id::text AS "declarationId", d."receivedAt", c.date AS "coverDate", c.municipality
FROM "Declaration" d LEFT JOIN "CoverFacts" c ON c."declarationId" = d.id
WHERE d."businessSystemId" = $1::uuid AND d.id <> $2::uuid AND d.status = 'parsed'`,
);

/**
 * The requirement ids that the declarations in the JSON array $1 report as met, of those that may
 * normalise to one of the ids in the JSON array $2. An id of printable ASCII words with single
 * spaces normalises to its upper case (normaliseRequirementId), which translate gives exactly
 * and whatever the database's locale. Any other id is returned for the caller to normalise.
 */
const READ_MET_REQUIREMENTS = preparedStatement(
  'avvik_read_met_requirements',
  `
SELECT r."declarationId"::text AS "declarationId", r."requirementId" FROM "RequirementRow" r
WHERE r."declarationId" = ANY (ARRAY(SELECT json_array_elements_text($1::json)::uuid)) AND r.answer = 'met' AND r."requirementId" IS NOT NULL
  AND (r."requirementId" !~ '^[!-~]+( [!-~]+)*$'
    OR translate(r."requirementId", 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') IN (SELECT json_array_elements_text($2::json)))`,
);

/**
 * Finds, for each candidate key, the latest later-dated declaration of the system that reports it
 * as met. Only declarations dated at or after this one are read row by row, which in an archive
 * imported in date order are none.
 */
async function loadLaterMet(db: SqlSession, incoming: IncomingKeys): Promise<SyncState['laterMet']> {
  const laterMet: SyncState['laterMet'] = new Map();
  if (!incoming.businessSystemId || incoming.candidateKeys.size === 0) return laterMet;
  const declarations = await db.query<{ declarationId: string; receivedAt: Date; coverDate: string | null; municipality: string | null }>(
    READ_SYSTEM_DECLARATIONS,
    [incoming.businessSystemId, incoming.declarationId],
  );
  const later = new Map<string, { declaredAt: Date; municipality: string | null }>();
  for (const declaration of declarations) {
    const declared = declaredAt(declaration.coverDate, declaration.receivedAt);
    if (declared >= incoming.declaredAt) later.set(declaration.declarationId, { declaredAt: declared, municipality: declaration.municipality });
  }
  if (later.size === 0) return laterMet;

  const reports = await db.query<{ declarationId: string; requirementId: string }>(READ_MET_REQUIREMENTS, [
    JSON.stringify([...later.keys()]),
    JSON.stringify(incoming.candidateIds),
  ]);
  for (const report of reports) {
    const { declaredAt: declared, municipality } = later.get(report.declarationId)!;
    const key = naturalKeyFor({ ...incoming, municipality, requirementId: report.requirementId });
    if (!key || !incoming.candidateKeys.has(key)) continue;
    const known = laterMet.get(key);
    if (!known || declared > known.declaredAt) laterMet.set(key, { declarationId: report.declarationId, declaredAt: declared });
  }
  return laterMet;
}

async function deviationIdsWithKeys(db: SqlSession, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const found = await db.query<{ id: string }>(FIND_BY_KEYS, [JSON.stringify(keys)]);
  return found.map((deviation) => deviation.id);
}

/** The state of a declaration with nothing stored, whose rows match no stored deviation. */
export const emptySyncState = (): SyncState => ({
  rows: [],
  slots: [],
  deviations: new Map(),
  byKey: new Map(),
  suggestionsMade: new Set(),
  latestSuggested: new Map(),
  laterMet: new Map(),
});

/** Reads the deviations of the slots and of the keys, and the suggestions made on them. Leaves laterMet empty. */
async function loadDeviations(db: SqlSession, rows: StoredRow[], slots: StoredSlot[], keys: readonly string[]): Promise<SyncState> {
  const ids = new Set([...slots.map((slot) => slot.deviationId), ...(await deviationIdsWithKeys(db, keys))]);
  if (ids.size === 0) return { ...emptySyncState(), rows, slots };
  const records = (await db.query<DeviationRow>(READ_DEVIATIONS, [JSON.stringify([...ids])])).map(deviationStateOf);
  const deviations = new Map(records.map((record) => [record.id, record]));
  const byKey = new Map<string, string>();
  for (const record of records) if (record.naturalKey) byKey.set(record.naturalKey, record.id);

  if (deviations.size === 0) return { ...emptySyncState(), rows, slots, deviations, byKey };
  const suggestionEvents = await db.query<{ deviationId: string; toValue: unknown }>(READ_SUGGESTIONS, [JSON.stringify([...deviations.keys()])]);
  const suggestionsMade = new Set<string>();
  const latestSuggested: SyncState['latestSuggested'] = new Map();
  for (const event of suggestionEvents) {
    const value = event.toValue as { kind?: string; declarationId?: string; declaredAt?: string } | null;
    if (!value?.kind || !value.declarationId) continue;
    suggestionsMade.add(suggestionMark(event.deviationId, value.kind, value.declarationId));
    if (!value.declaredAt) continue;
    const key = `${event.deviationId}|${value.kind}`;
    const known = latestSuggested.get(key);
    const report = { declarationId: value.declarationId, declaredAt: value.declaredAt };
    if (!known || isLaterReport({ ...report, declaredAt: new Date(report.declaredAt) }, known)) latestSuggested.set(key, report);
  }
  return { ...emptySyncState(), rows, slots, deviations, byKey, suggestionsMade, latestSuggested };
}

/**
 * Returns true when a report is later than the one a suggestion names. Reports of the same date
 * are ordered by declaration id, so that the choice between them does not depend on which came
 * first.
 */
export function isLaterReport(report: { declarationId: string; declaredAt: Date }, named: { declarationId: string; declaredAt: string }): boolean {
  const namedTime = new Date(named.declaredAt).getTime();
  const time = report.declaredAt.getTime();
  return time > namedTime || (time === namedTime && report.declarationId > named.declarationId);
}

function deviationStateOf({ commentCount, attachmentCount, occurrences, ...columns }: DeviationRow): DeviationState {
  return {
    ...columns,
    _count: { comments: commentCount, attachments: attachmentCount },
    occurrences: occurrences.map((occurrence) => ({ declarationId: occurrence.declarationId, seenAt: utcDate(occurrence.seenAt) })),
  };
}

/** Reads a timestamp that PostgreSQL wrote into JSON without a zone, which is UTC here. */
const utcDate = (text: string) => new Date(`${text}Z`);
