// The API and the JSON output use kebab-case values; PostgreSQL enums use snake_case.
import type { Answer as DbAnswer, Area as DbArea, PartyKind as DbPartyKind, Prisma } from '../generated/prisma/client.ts';
import { Answer as DB_ANSWERS, Area as DB_AREAS, DeviationStatus as DB_STATUSES, PartyKind as DB_PARTY_KINDS } from '../generated/prisma/enums.ts';
import type { Answer } from '../ingest/model.ts';
import { mapJsonStrings } from '../json-strings.ts';
import type { Area, PartyKind, Proposal } from '../rules/model.ts';

export const toDbAnswer = (answer: Answer) => answer.replace(/-/g, '_') as DbAnswer;
export const fromDbAnswer = (answer: DbAnswer) => answer.replace(/_/g, '-') as Answer;
export const toDbArea = (area: Area) => area.replace(/-/g, '_') as DbArea;
export const fromDbArea = (area: DbArea) => area.replace(/_/g, '-') as Area;
export const toDbPartyKind = (kind: PartyKind) => kind.replace(/-/g, '_') as DbPartyKind;
export const fromDbPartyKind = (kind: DbPartyKind) => kind.replace(/_/g, '-') as PartyKind;

/** Maps a proposal to the Deviation columns that store it. */
export function proposalColumns(proposal: Proposal) {
  return {
    proposedArea: toDbArea(proposal.area),
    proposedPartyKind: toDbPartyKind(proposal.partyKind),
    proposedPartyCode: proposal.partyCode,
    proposalRuleIds: proposal.ruleIds,
    proposalEvidence: proposal.evidence as unknown as Prisma.InputJsonValue,
    proposalConfidence: proposal.confidence,
    proposalCandidates: proposal.candidates as unknown as Prisma.InputJsonValue,
    newRequirement: proposal.newRequirement,
    ruleSetVersion: proposal.ruleSetVersion,
  };
}

/** The database spellings of the enum values that history events store, by the key they are stored under. */
const DB_VALUES_BY_KEY: Record<string, ReadonlySet<string>> = {
  area: new Set(Object.values(DB_AREAS)),
  partyKind: new Set(Object.values(DB_PARTY_KINDS)),
  answer: new Set(Object.values(DB_ANSWERS)),
  status: new Set(Object.values(DB_STATUSES)),
};

/**
 * Rewrites the enum values in a stored history value (DeviationEvent.fromValue or toValue) in
 * kebab case, at any depth. Earlier re-processing stored some in snake case, such as
 * `business_system`, and a trigger keeps stored events from being updated. Only a string under
 * `area`, `partyKind`, `answer` or `status` that is one of that enum's database values changes.
 */
export function eventValueInApiSpelling(value: unknown): unknown {
  return mapJsonStrings(value, (text, key) => (key !== undefined && DB_VALUES_BY_KEY[key]?.has(text) ? text.replace(/_/g, '-') : text));
}
