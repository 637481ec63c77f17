/**
 * Field provenance: for each editable field of a deviation, whether the system (the pipeline or
 * a re-processing) or a person set it last. Re-processing changes only fields the system set.
 */
import type { Prisma } from '../generated/prisma/client.ts';

export const PROVENANCE_FIELDS = [
  'title',
  'reproduction',
  'result',
  'material',
  'contact',
  'missingFields',
  'proposal',
  'owner',
  'status',
  'dueDate',
] as const;
export type ProvenanceField = (typeof PROVENANCE_FIELDS)[number];
export type FieldSource = 'system' | 'person';
export type FieldSources = Partial<Record<ProvenanceField, FieldSource>>;

/** The content fields that a declaration row fills in and a re-processing may rewrite. */
export const CONTENT_FIELDS = ['title', 'reproduction', 'result', 'material', 'contact', 'missingFields'] as const satisfies readonly ProvenanceField[];

/** Returns the sources of a deviation that the pipeline creates: every field it fills is the system's. */
export function systemFieldSources(): FieldSources {
  return { ...Object.fromEntries(CONTENT_FIELDS.map((field) => [field, 'system'])), proposal: 'system', status: 'system' };
}

/** Returns the sources of a directly reported deviation: a person wrote its content, the rules its proposal. */
export function reportedFieldSources(): FieldSources {
  return { ...Object.fromEntries(CONTENT_FIELDS.map((field) => [field, 'person'])), proposal: 'system', status: 'system' };
}

/** What decides the provenance of a deviation stored before the fieldSources column existed. */
export interface ProvenanceFacts {
  fieldSources: unknown;
  ownerSetBy: string | null;
  status: string;
  reportedById: string | null;
}

/**
 * Reads the stored sources and fills the gaps from facts that only a person can cause: an owner
 * with ownerSetBy, a status other than new, and a direct report. Deviations stored before the
 * column existed have an empty map, so this keeps them safe from re-processing without a backfill.
 */
export function effectiveFieldSources(facts: ProvenanceFacts): Required<FieldSources> {
  const stored = (facts.fieldSources && typeof facts.fieldSources === 'object' ? facts.fieldSources : {}) as FieldSources;
  const sources = Object.fromEntries(PROVENANCE_FIELDS.map((field) => [field, stored[field] ?? 'system'])) as Required<FieldSources>;
  if (facts.ownerSetBy !== null) sources.owner = 'person';
  if (facts.status !== 'new') sources.status = 'person';
  if (facts.reportedById !== null && stored.title === undefined) {
    for (const field of CONTENT_FIELDS) sources[field] = 'person';
  }
  return sources;
}

/**
 * Records inside the caller's transaction that a person set the given fields. The JSON merge runs
 * in PostgreSQL, so that a concurrent change of another field's source is not lost.
 */
export async function markSetByPerson(tx: Prisma.TransactionClient, deviationId: string, fields: readonly ProvenanceField[]): Promise<void> {
  const patch = JSON.stringify(Object.fromEntries(fields.map((field) => [field, 'person'])));
  await tx.$executeRaw`UPDATE "Deviation" SET "fieldSources" = "fieldSources" || ${patch}::jsonb WHERE "id" = ${deviationId}::uuid`;
}
