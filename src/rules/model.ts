/** The contract between candidate deviations and the rules engine that proposes their owner. */

export type Area = 'business-system' | 'base-service' | 'ssbtek' | 'unassigned';
export type PartyKind = 'supplier' | 'data-provider' | 'operations' | 'administration';

/** Each party kind in words with its article, for messages such as "Party DRIFT is an operations party". */
export const PARTY_KIND_IN_WORDS: Record<PartyKind, string> = {
  supplier: 'a supplier',
  'data-provider': 'a data provider',
  operations: 'an operations party',
  administration: 'the administration',
};

/** The fields of one candidate deviation that the rules read. */
export interface RuleInput {
  requirementId: string | null;
  /** The area as the document states it (column, merged cell, sheet name or section heading). */
  areaHint: string | null;
  /** The sheet name, or null for a PDF. */
  sheet: string | null;
  text: string;
  comment: string | null;
  /** The declaring supplier's party code, or null when the cover names none that is known. */
  supplierCode: string | null;
}

/** One piece of text a rule matched, kept so that a person can check the proposal. */
export interface Evidence {
  ruleId: string;
  field: 'areaHint' | 'sheet' | 'text' | 'comment' | 'requirementId';
  match: string;
  weight: number;
}

/** An owner that the rules considered, with its summed score. */
export interface OwnerCandidate {
  area: Exclude<Area, 'unassigned'>;
  partyKind: PartyKind;
  partyCode: string | null;
  score: number;
  ruleIds: string[];
}

/**
 * Why the engine decided as it did: 'assigned' names an owner, every other reason sends
 * the row to the administration.
 */
export type ProposalReason =
  | 'assigned'
  | 'no-evidence'
  | 'new-requirement'
  | 'administration-vote'
  | 'conflict'
  | 'below-threshold'
  | 'provider-unknown';

export interface Proposal {
  area: Area;
  partyKind: PartyKind;
  /** The party code; null only for a supplier that the declaration does not identify. */
  partyCode: string | null;
  ruleIds: string[];
  evidence: Evidence[];
  /** 0 to 1; below the rule set's threshold the proposal goes to the administration. */
  confidence: number;
  /** Every owner considered, best first, including the chosen one. */
  candidates: OwnerCandidate[];
  /** True when the row asks for something new rather than reporting a gap in an agreed requirement. */
  newRequirement: boolean;
  /** Reason for naming this owner or for sending the row to the administration. */
  reason?: ProposalReason;
  ruleSetVersion: string;
}
