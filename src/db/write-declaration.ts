/**
 * The SQL that stores a processed declaration. Each table's rows arrive as one JSON parameter,
 * unpacked with json_to_recordset, so the statement's text is the same whatever the number of
 * rows. Prisma builds no query per row count, PostgreSQL plans nothing new, and a typical
 * declaration is written in one round trip. Prisma's createMany, which this replaced, built a statement with a
 * parameter per column and row, and its client time was most of the cost of a store.
 */
import type { NewDeviationEvent } from '../workflow/events.ts';
import { copyLines, copyStatement, type CopyColumn, type CopyField } from './copy-text.ts';
import { preparedStatement } from './prepared.ts';
import type { SqlExecutor, SqlSession } from './sql.ts';

/** A requirement row as its INSERT reads it. */
export interface RowRecord {
  id: string;
  position: number;
  requirementId: string | null;
  areaHint: string | null;
  text: string;
  answer: string;
  answerRaw: string | null;
  comment: string | null;
  attachments: string[];
  sourceSheet: string | null;
  sourceRow: number | null;
  sourcePage: number | null;
  sourceLine: number | null;
}

export interface CoverRecord {
  supplier: string | null;
  organisationNumber: string | null;
  system: string | null;
  version: string | null;
  municipality: string | null;
  date: string | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
}

/** A new deviation, every column the pipeline sets. */
export interface DeviationRecord {
  id: string;
  declarationId: string;
  requirementRowId: string;
  businessSystemId: string | null;
  supplierCode: string | null;
  municipality: string | null;
  requirementId: string | null;
  naturalKey: string | null;
  answer: string;
  title: string;
  reproduction: string | null;
  result: string | null;
  material: string[];
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  missingFields: string[];
  proposedArea: string;
  proposedPartyKind: string;
  proposedPartyCode: string | null;
  proposalRuleIds: string[];
  proposalEvidence: unknown;
  proposalConfidence: number;
  proposalCandidates: unknown;
  newRequirement: boolean;
  parserVersion: string;
  ruleSetVersion: string;
  fieldSources: unknown;
}

export interface OccurrenceRecord {
  id: string;
  deviationId: string;
  declarationId: string;
  requirementRowId: string | null;
  answer: string;
  seenAt: Date;
  withdrawnAt: Date | null;
}

/** The Declaration columns a finished processing sets. */
export interface DeclarationRecord {
  parserVersion: string;
  ruleSetVersion: string;
  counts: unknown;
  parseReport: unknown;
  supplierId: string | null;
  businessSystemId: string | null;
  processedAt: Date;
}

/**
 * A list of records that can be taken in slices. An array is one; a large declaration's rows are
 * one that builds each slice's records when asked, so that they never all exist at once.
 */
export interface RecordList<T> {
  readonly length: number;
  slice(start: number, end: number): T[];
}

export interface DeclarationWrite {
  rows: RecordList<RowRecord>;
  cover: CoverRecord | null;
  deviations: DeviationRecord[];
  occurrences: OccurrenceRecord[];
  events: NewDeviationEvent[];
  declaration: DeclarationRecord | null;
}

/**
 * Inserts rows, cover, deviations, occurrences and events and marks the declaration parsed, in one
 * statement. The parameters are typed json rather than jsonb, because PostgreSQL reads json text
 * once while it unpacks it, where jsonb would first be built and then unpacked. Foreign keys are
 * checked at the end of a statement, so the order of the parts within it does not matter.
 * Timestamps arrive as ISO 8601 with a zone and are stored as UTC, as Prisma stores them. Events
 * keep the order of the JSON array, which gives their ids, and are stamped with the time they are
 * inserted, not with the transaction's start, which may lie before a wait for the system's lock.
 */
const writeStatement = (guard: string) => `
WITH
guard AS (${guard}),
new_rows AS (
  INSERT INTO "RequirementRow" (id, "declarationId", position, "requirementId", "areaHint", text, answer,
    "answerRaw", comment, attachments, "sourceSheet", "sourceRow", "sourcePage", "sourceLine")
  SELECT r.id, $2::uuid, r.position, r."requirementId", r."areaHint", r.text, r.answer::"Answer",
    r."answerRaw", r.comment, r.attachments, r."sourceSheet", r."sourceRow", r."sourcePage", r."sourceLine"
  FROM guard, json_to_recordset($1::json) AS r(id uuid, position int, "requirementId" text,
    "areaHint" text, text text, answer text, "answerRaw" text, comment text, attachments text[],
    "sourceSheet" text, "sourceRow" int, "sourcePage" int, "sourceLine" int)
  WHERE guard.ok
),
new_cover AS (
  INSERT INTO "CoverFacts" ("declarationId", supplier, "organisationNumber", system, version, municipality,
    date, "contactName", "contactPhone", "contactEmail")
  SELECT $2::uuid, c.supplier, c."organisationNumber", c.system, c.version, c.municipality, c.date,
    c."contactName", c."contactPhone", c."contactEmail"
  FROM guard, json_to_recordset($3::json) AS c(supplier text, "organisationNumber" text,
    system text, version text, municipality text, date text, "contactName" text, "contactPhone" text,
    "contactEmail" text)
  WHERE guard.ok
  ON CONFLICT ("declarationId") DO UPDATE SET supplier = EXCLUDED.supplier,
    "organisationNumber" = EXCLUDED."organisationNumber", system = EXCLUDED.system, version = EXCLUDED.version,
    municipality = EXCLUDED.municipality, date = EXCLUDED.date, "contactName" = EXCLUDED."contactName",
    "contactPhone" = EXCLUDED."contactPhone", "contactEmail" = EXCLUDED."contactEmail"
),
new_deviations AS (
  INSERT INTO "Deviation" (id, "declarationId", "requirementRowId", "businessSystemId", "supplierCode",
    municipality, "requirementId", "naturalKey", answer, title, reproduction, result, material, "contactName",
    "contactPhone", "contactEmail", "missingFields", "proposedArea", "proposedPartyKind", "proposedPartyCode",
    "proposalRuleIds", "proposalEvidence", "proposalConfidence", "proposalCandidates", "newRequirement",
    "parserVersion", "ruleSetVersion", "fieldSources", "updatedAt")
  SELECT d.id, d."declarationId", d."requirementRowId", d."businessSystemId", d."supplierCode",
    d.municipality, d."requirementId", d."naturalKey", d.answer::"Answer", d.title, d.reproduction, d.result,
    d.material, d."contactName", d."contactPhone", d."contactEmail", d."missingFields",
    d."proposedArea"::"Area", d."proposedPartyKind"::"PartyKind", d."proposedPartyCode", d."proposalRuleIds",
    d."proposalEvidence", d."proposalConfidence", d."proposalCandidates", d."newRequirement",
    d."parserVersion", d."ruleSetVersion", d."fieldSources", now() AT TIME ZONE 'UTC'
  FROM guard, json_to_recordset($4::json) AS d(id uuid, "declarationId" uuid,
    "requirementRowId" uuid, "businessSystemId" uuid, "supplierCode" text, municipality text,
    "requirementId" text, "naturalKey" text, answer text, title text, reproduction text, result text,
    material text[], "contactName" text, "contactPhone" text, "contactEmail" text, "missingFields" text[],
    "proposedArea" text, "proposedPartyKind" text, "proposedPartyCode" text, "proposalRuleIds" text[],
    "proposalEvidence" jsonb, "proposalConfidence" float8, "proposalCandidates" jsonb,
    "newRequirement" boolean, "parserVersion" text, "ruleSetVersion" text, "fieldSources" jsonb)
  WHERE guard.ok
),
new_occurrences AS (
  INSERT INTO "DeviationOccurrence" (id, "deviationId", "declarationId", "requirementRowId", answer, "seenAt",
    "withdrawnAt")
  SELECT o.id, o."deviationId", o."declarationId", o."requirementRowId", o.answer::"Answer",
    o."seenAt" AT TIME ZONE 'UTC', o."withdrawnAt" AT TIME ZONE 'UTC'
  FROM guard, json_to_recordset($5::json) AS o(id uuid, "deviationId" uuid,
    "declarationId" uuid, "requirementRowId" uuid, answer text, "seenAt" timestamptz, "withdrawnAt" timestamptz)
  WHERE guard.ok
),
new_events AS (
  INSERT INTO "DeviationEvent" ("deviationId", actor, type, "fromValue", "toValue", reason, at)
  SELECT e."deviationId", e.actor, e.type, e."fromValue", e."toValue", e.reason, clock_timestamp() AT TIME ZONE 'UTC'
  FROM guard, ROWS FROM (json_to_recordset($6::json) AS ("deviationId" uuid, actor text, type text,
    "fromValue" jsonb, "toValue" jsonb, reason text)) WITH ORDINALITY AS e("deviationId", actor, type, "fromValue",
    "toValue", reason, n)
  WHERE guard.ok
  ORDER BY e.n
),
updated AS (
  UPDATE "Declaration" AS d SET status = 'parsed', "errorCode" = NULL, "errorMessage" = NULL,
  "parserVersion" = u."parserVersion", "ruleSetVersion" = u."ruleSetVersion", counts = u.counts,
  "parseReport" = u."parseReport", "supplierId" = u."supplierId", "businessSystemId" = u."businessSystemId",
  "processedAt" = u."processedAt" AT TIME ZONE 'UTC'
  FROM guard, json_to_recordset($7::json) AS u("parserVersion" text, "ruleSetVersion" text,
    counts jsonb, "parseReport" jsonb, "supplierId" uuid, "businessSystemId" uuid, "processedAt" timestamptz)
  WHERE d.id = $2::uuid AND guard.ok
)
SELECT status, ok FROM guard`;

/** Writes unconditionally, for a caller that holds the declaration's lock and planned from what it read. */
const WRITE_DECLARATION = preparedStatement('avvik_write_declaration', writeStatement(`SELECT NULL::text AS status, true AS ok`));

/**
 * The condition of a first processing: nothing of the declaration is stored yet, no deviation has
 * one of the natural keys in the JSON array `keys`, no other declaration of its business system
 * is parsed, and the declaration is not parsed. This is the state a first processing plans from
 * without reading. The lock on the declaration's row is held to the end of the statement or
 * transaction.
 */
const firstProcessingGuard = (id: string, keys: string, system: string) => `
  SELECT d.status::text AS status, d.status <> 'parsed'
    AND NOT EXISTS (SELECT 1 FROM "RequirementRow" r WHERE r."declarationId" = d.id)
    AND NOT EXISTS (SELECT 1 FROM "DeviationOccurrence" o WHERE o."declarationId" = d.id)
    AND NOT EXISTS (SELECT 1 FROM "Deviation" v WHERE v."declarationId" = d.id)
    AND NOT EXISTS (SELECT 1 FROM "CoverFacts" c WHERE c."declarationId" = d.id)
    AND NOT EXISTS (SELECT 1 FROM "Deviation" v WHERE v."naturalKey" IN
      (SELECT json_array_elements_text(${keys}::json)))
    AND NOT EXISTS (SELECT 1 FROM "Declaration" o
      WHERE o."businessSystemId" = ${system}::uuid AND o.id <> d.id AND o.status = 'parsed') AS ok
  FROM "Declaration" d WHERE d.id = ${id}::uuid FOR UPDATE OF d`;

/** Writes a first processing when the guard holds, in one statement. */
const WRITE_FIRST_PROCESSING = preparedStatement('avvik_write_first_processing', writeStatement(firstProcessingGuard('$2', '$8', '$9')));

/** Checks the guard alone, for a first processing too large for one statement. */
const CHECK_FIRST_PROCESSING = preparedStatement('avvik_check_first_processing', firstProcessingGuard('$1', '$2', '$3'));

/** Above this many records in all, the write is split into several statements of at most this many each. */
const RECORDS_PER_STATEMENT = 5_000;

/**
 * Writes a declaration's records inside the caller's transaction. A typical declaration takes one
 * statement. A large one is written table by table. On a pg connection its rows and deviations go
 * through COPY, because PostgreSQL reads COPY's text in about half the time it takes to unpack the
 * same records from JSON (measured on the benchmark's 50,000-row workbook). The other tables, and
 * every table on the embedded database, go in statements of at most RECORDS_PER_STATEMENT records,
 * so that no single JSON text grows with the declaration. The Declaration row is updated last.
 */
export async function writeDeclarationRecords(session: SqlSession, declarationId: string, write: DeclarationWrite): Promise<void> {
  if (fitsOneStatement(write)) {
    await execute(session, declarationId, write);
    return;
  }
  let rest = write;
  if (session.copyFrom) {
    await copyRecords(session, session.copyFrom, declarationId, write);
    rest = { ...write, rows: [], deviations: [] };
  }
  // Each slice's JSON is built while PostgreSQL inserts the previous slice. pg runs one query at
  // a time per connection, so a statement is sent only after the previous one has finished.
  let previous: Promise<unknown> | null = null;
  for (const part of slicedWrites(rest)) {
    const parameters = parametersOf(declarationId, part);
    if (previous) await previous;
    previous = session.query(WRITE_DECLARATION, parameters);
  }
  await previous;
}

/**
 * Copies the rows, then the deviations, whose requirement rows must exist by the end of their
 * statement. A deviation's updatedAt is the transaction's time, as the INSERT's now() gives it.
 */
async function copyRecords(session: SqlSession, copyFrom: NonNullable<SqlSession['copyFrom']>, declarationId: string, write: DeclarationWrite): Promise<void> {
  const rowFields = rowFieldsOf(declarationId);
  const rows = write.rows;
  await copyFrom(copyStatement('RequirementRow', rowFields), copyLines(rowFields, (start, end) => rows.slice(start, end), rows.length));
  if (write.deviations.length === 0) return;
  const [time] = await session.query<{ now: string }>(TRANSACTION_TIME, []);
  const deviationFields = [...DEVIATION_FIELDS, field<DeviationRecord>('updatedAt', 'text', () => time!.now)];
  const deviations = write.deviations;
  await copyFrom(
    copyStatement('Deviation', deviationFields),
    copyLines(deviationFields, (start, end) => deviations.slice(start, end), deviations.length),
  );
}

/** The transaction's start in UTC, as text in the form PostgreSQL writes a timestamp. */
const TRANSACTION_TIME = preparedStatement('avvik_transaction_time', `SELECT (now() AT TIME ZONE 'UTC')::text AS now`);

const field = <T>(column: string, kind: CopyColumn, value: (record: T) => unknown): CopyField<T> => ({ column, kind, value });

/** The RequirementRow columns in the order of the INSERT in writeStatement. */
const rowFieldsOf = (declarationId: string): CopyField<RowRecord>[] => [
  field('id', 'text', (row) => row.id),
  field('declarationId', 'text', () => declarationId),
  field('position', 'number', (row) => row.position),
  field('requirementId', 'text', (row) => row.requirementId),
  field('areaHint', 'text', (row) => row.areaHint),
  field('text', 'text', (row) => row.text),
  field('answer', 'text', (row) => row.answer),
  field('answerRaw', 'text', (row) => row.answerRaw),
  field('comment', 'text', (row) => row.comment),
  field('attachments', 'text[]', (row) => row.attachments),
  field('sourceSheet', 'text', (row) => row.sourceSheet),
  field('sourceRow', 'number', (row) => row.sourceRow),
  field('sourcePage', 'number', (row) => row.sourcePage),
  field('sourceLine', 'number', (row) => row.sourceLine),
];

/** The Deviation columns in the order of the INSERT in writeStatement, but for updatedAt, which copyRecords adds. */
const DEVIATION_FIELDS: CopyField<DeviationRecord>[] = [
  field('id', 'text', (deviation) => deviation.id),
  field('declarationId', 'text', (deviation) => deviation.declarationId),
  field('requirementRowId', 'text', (deviation) => deviation.requirementRowId),
  field('businessSystemId', 'text', (deviation) => deviation.businessSystemId),
  field('supplierCode', 'text', (deviation) => deviation.supplierCode),
  field('municipality', 'text', (deviation) => deviation.municipality),
  field('requirementId', 'text', (deviation) => deviation.requirementId),
  field('naturalKey', 'text', (deviation) => deviation.naturalKey),
  field('answer', 'text', (deviation) => deviation.answer),
  field('title', 'text', (deviation) => deviation.title),
  field('reproduction', 'text', (deviation) => deviation.reproduction),
  field('result', 'text', (deviation) => deviation.result),
  field('material', 'text[]', (deviation) => deviation.material),
  field('contactName', 'text', (deviation) => deviation.contactName),
  field('contactPhone', 'text', (deviation) => deviation.contactPhone),
  field('contactEmail', 'text', (deviation) => deviation.contactEmail),
  field('missingFields', 'text[]', (deviation) => deviation.missingFields),
  field('proposedArea', 'text', (deviation) => deviation.proposedArea),
  field('proposedPartyKind', 'text', (deviation) => deviation.proposedPartyKind),
  field('proposedPartyCode', 'text', (deviation) => deviation.proposedPartyCode),
  field('proposalRuleIds', 'text[]', (deviation) => deviation.proposalRuleIds),
  field('proposalEvidence', 'json', (deviation) => deviation.proposalEvidence),
  field('proposalConfidence', 'number', (deviation) => deviation.proposalConfidence),
  field('proposalCandidates', 'json', (deviation) => deviation.proposalCandidates),
  field('newRequirement', 'boolean', (deviation) => deviation.newRequirement),
  field('parserVersion', 'text', (deviation) => deviation.parserVersion),
  field('ruleSetVersion', 'text', (deviation) => deviation.ruleSetVersion),
  field('fieldSources', 'json', (deviation) => deviation.fieldSources),
];

/** Splits a large write into statements of at most RECORDS_PER_STATEMENT records, table by table, with the Declaration row last. */
function* slicedWrites(write: DeclarationWrite): Generator<DeclarationWrite> {
  const none: DeclarationWrite = { rows: [], cover: null, deviations: [], occurrences: [], events: [], declaration: null };
  for (const rows of slices(write.rows)) yield { ...none, rows };
  for (const deviations of slices(write.deviations)) yield { ...none, deviations };
  for (const occurrences of slices(write.occurrences)) yield { ...none, occurrences };
  for (const events of slices(write.events)) yield { ...none, events };
  yield { ...none, cover: write.cover, declaration: write.declaration };
}

async function execute(session: SqlSession, declarationId: string, write: DeclarationWrite): Promise<void> {
  await session.query(WRITE_DECLARATION, parametersOf(declarationId, write));
}

/** Builds the statement's parameters $1 to $7: one JSON text per table and the declaration id. */
function parametersOf(declarationId: string, write: DeclarationWrite): string[] {
  return [
    JSON.stringify(write.rows.slice(0, write.rows.length)),
    declarationId,
    JSON.stringify(write.cover ? [write.cover] : []),
    JSON.stringify(write.deviations),
    JSON.stringify(write.occurrences),
    JSON.stringify(write.events),
    JSON.stringify(write.declaration ? [write.declaration] : []),
  ];
}

/** The outcome of a first processing: written, found already parsed, or found not to be a first processing. */
export type FirstWrite = 'written' | 'already-parsed' | 'not-first';

/** The guard's row: the declaration's status, and whether a first processing may write. */
interface GuardRow {
  status: string;
  ok: boolean;
}

function firstWriteOf(guard: GuardRow | undefined): FirstWrite {
  if (guard?.ok) return 'written';
  return guard?.status === 'parsed' ? 'already-parsed' : 'not-first';
}

/** True when a write is small enough for one statement. */
const fitsOneStatement = (write: DeclarationWrite) =>
  write.rows.length + write.deviations.length + write.occurrences.length + write.events.length <= RECORDS_PER_STATEMENT;

/**
 * Writes a first processing when the stored state is what the caller planned from: nothing of
 * the declaration stored, no deviation with one of `keys` and no other parsed declaration of its
 * business system. Returns 'not-first' without writing when that does not hold, so that the caller
 * reads the state and plans again. A declaration with a business system first takes the system's
 * lock, as every store of a system's declarations does, so that the guard reads all that the
 * system's other stores wrote. A unique violation from a concurrent first processing with the
 * same keys is thrown, and the caller then plans again in the same way.
 */
export async function writeFirstProcessing(
  sql: SqlExecutor,
  declarationId: string,
  write: DeclarationWrite,
  keys: readonly string[],
  businessSystemId: string | null,
): Promise<FirstWrite> {
  if (businessSystemId === null && fitsOneStatement(write)) return writeGuarded(sql, declarationId, write, keys, null);
  return sql.transaction(async (session) => {
    if (businessSystemId !== null) await lockBusinessSystem(session, businessSystemId);
    if (fitsOneStatement(write)) return writeGuarded(session, declarationId, write, keys, businessSystemId);
    const [guard] = await session.query<GuardRow>(CHECK_FIRST_PROCESSING, [declarationId, JSON.stringify(keys), businessSystemId]);
    if (guard?.ok) await writeDeclarationRecords(session, declarationId, write);
    return firstWriteOf(guard);
  });
}

/** Writes a first processing in one statement when its guard holds. */
async function writeGuarded(session: SqlSession, declarationId: string, write: DeclarationWrite, keys: readonly string[], businessSystemId: string | null) {
  const [guard] = await session.query<GuardRow>(WRITE_FIRST_PROCESSING, [...parametersOf(declarationId, write), JSON.stringify(keys), businessSystemId]);
  return firstWriteOf(guard);
}

/**
 * Serialises the stores of one business system's declarations until the transaction ends. Each
 * store plans suggestions from the occurrences and reports it reads, and without the lock two
 * declarations stored at once would each miss the other's, leaving for instance no 'fixed'
 * suggestion beside a later met report.
 */
export async function lockBusinessSystem(session: SqlSession, businessSystemId: string): Promise<void> {
  await session.query(LOCK_BUSINESS_SYSTEM, [businessSystemId]);
}

const LOCK_BUSINESS_SYSTEM = preparedStatement('avvik_lock_business_system', 'SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1, 0))');

function* slices<T>(items: RecordList<T>): Generator<T[]> {
  for (let start = 0; start < items.length; start += RECORDS_PER_STATEMENT) yield items.slice(start, start + RECORDS_PER_STATEMENT);
}

/**
 * Finds the supplier with the code, or creates it, and likewise its business system, in one
 * statement that takes no lock on an existing row. When another transaction creates the same
 * supplier or system at the same moment, this statement's snapshot cannot see it, so the
 * statement runs once more, after the other transaction committed.
 */
const FIND_OR_CREATE_SUPPLIER = preparedStatement(
  'avvik_find_or_create_supplier',
  `
WITH input AS (SELECT $1::text AS code, $2::text AS name, $3::text AS org, $4::text AS system),
found_party AS (SELECT p.id, p.name, p.aliases FROM "Party" p, input WHERE p.code = input.code),
created_party AS (
  INSERT INTO "Party" (id, code, kind, name, "organisationNumber", aliases)
  SELECT gen_random_uuid(), input.code, 'supplier', input.name, input.org, '{}' FROM input
  WHERE NOT EXISTS (SELECT 1 FROM found_party)
  ON CONFLICT (code) DO NOTHING
  RETURNING id
),
party AS (SELECT id FROM found_party UNION ALL SELECT id FROM created_party),
found_system AS (
  SELECT s.id FROM "BusinessSystem" s, party, input WHERE s."supplierId" = party.id AND s.name = input.system
),
created_system AS (
  INSERT INTO "BusinessSystem" (id, name, "supplierId")
  SELECT gen_random_uuid(), input.system, party.id FROM input, party
  WHERE input.system IS NOT NULL AND NOT EXISTS (SELECT 1 FROM found_system)
  ON CONFLICT ("supplierId", name) DO NOTHING
  RETURNING id
)
SELECT (SELECT id::text FROM party LIMIT 1) AS "supplierId",
  (SELECT id::text FROM (SELECT id FROM found_system UNION ALL SELECT id FROM created_system) AS s LIMIT 1) AS "businessSystemId",
  (SELECT name FROM found_party LIMIT 1) AS "registeredName",
  (SELECT aliases FROM found_party LIMIT 1) AS "registeredAliases"`,
);

export interface SupplierIds {
  supplierId: string | null;
  businessSystemId: string | null;
  /** The name and aliases of a supplier that was stored before, which the cover's name is checked against. */
  registeredName?: string | null;
  registeredAliases?: string[] | null;
}

export async function findOrCreateSupplier(
  session: SqlSession,
  supplier: { code: string; name: string; organisationNumber: string | null; system: string | null },
): Promise<SupplierIds> {
  for (let attempt = 1; ; attempt += 1) {
    const [ids] = await session.query<SupplierIds>(FIND_OR_CREATE_SUPPLIER, [
      supplier.code,
      supplier.name,
      supplier.organisationNumber,
      supplier.system,
    ]);
    const complete = ids?.supplierId && (supplier.system === null || ids.businessSystemId);
    if (complete) {
      return {
        supplierId: ids.supplierId,
        businessSystemId: ids.businessSystemId ?? null,
        registeredName: ids.registeredName ?? null,
        registeredAliases: ids.registeredAliases ?? null,
      };
    }
    if (attempt === 3) throw new Error(`Could not find or create supplier ${supplier.code} and its business system.`);
  }
}

/** The stored state that a processing compares with, read with the declaration's row lock when `lock` is set. */
export interface StoredDeclaration {
  status: string;
  receivedAt: Date;
  parserVersion: string | null;
  ruleSetVersion: string | null;
  counts: unknown;
  parseReport: unknown;
  supplierId: string | null;
  businessSystemId: string | null;
  /** The CoverFacts columns, or null when none are stored. */
  cover: Record<string, unknown> | null;
  /** False when no rows, occurrences or deviations of the declaration are stored. */
  hasRecords: boolean;
}

const READ_DECLARATION = `
SELECT d.status::text AS status, d."receivedAt", d."parserVersion", d."ruleSetVersion", d.counts, d."parseReport",
  d."supplierId"::text AS "supplierId", d."businessSystemId"::text AS "businessSystemId",
  (SELECT to_jsonb(c) FROM "CoverFacts" c WHERE c."declarationId" = d.id) AS cover,
  (EXISTS (SELECT 1 FROM "RequirementRow" r WHERE r."declarationId" = d.id)
    OR EXISTS (SELECT 1 FROM "DeviationOccurrence" o WHERE o."declarationId" = d.id)
    OR EXISTS (SELECT 1 FROM "Deviation" v WHERE v."declarationId" = d.id)) AS "hasRecords"
FROM "Declaration" d WHERE d.id = $1::uuid`;

const READ_DECLARATION_LOCKED = preparedStatement('avvik_read_declaration_locked', `${READ_DECLARATION} FOR UPDATE OF d`);

/** Reads the declaration's stored state; with `lock`, takes its row lock for the rest of the transaction. */
export async function readStoredDeclaration(session: SqlSession, declarationId: string, lock: boolean): Promise<StoredDeclaration> {
  const [stored] = await session.query<StoredDeclaration>(lock ? READ_DECLARATION_LOCKED : READ_DECLARATION, [declarationId]);
  if (!stored) throw new Error(`Declaration ${declarationId} does not exist.`);
  return stored;
}
