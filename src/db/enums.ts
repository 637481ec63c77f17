// The API and the JSON output use kebab-case values; PostgreSQL enums use snake_case.
import type { Answer as DbAnswer, Area as DbArea, PartyKind as DbPartyKind, Prisma } from '../generated/prisma/client.ts';
import type { Answer } from '../ingest/model.ts';
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
