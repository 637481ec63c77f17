/**
 * The rules engine: sums the votes of every matching rule per owner and decides whether
 * the best owner is clear enough to propose, or whether the row goes to the administration.
 */

import { findRuleHits, type RuleHit } from './hits.ts';
import type { Area, Evidence, OwnerCandidate, PartyKind, Proposal, ProposalReason, RuleInput } from './model.ts';
import { partyOfKind, type Party } from './parties.ts';
import type { CompiledRule, RuleSet, Vote } from './ruleset.ts';

type OwnerArea = Exclude<Area, 'unassigned'>;

interface Owner {
  area: OwnerArea;
  partyKind: PartyKind;
  partyCode: string | null;
}

interface Decision {
  reason: ProposalReason;
  chosen: OwnerCandidate | null;
  confidence: number;
}

const AREA_ORDER: readonly OwnerArea[] = ['business-system', 'base-service', 'ssbtek'];

/**
 * Proposes the owner of one candidate deviation. The result depends only on the
 * arguments, so the same input always gives the same proposal.
 * NOTE: compiled party names are cached per `parties` array, so do not mutate it after the first call.
 */
export function proposeOwner(input: RuleInput, ruleSet: RuleSet, parties: readonly Party[]): Proposal {
  const hits = findRuleHits(input, ruleSet, parties);
  const firedRules = uniqueRules(hits);
  const candidates = tallyVotes(firedRules, hits, input.supplierCode, parties);
  const total = candidates.reduce((sum, candidate) => sum + candidate.score, 0);
  const newRequirement = firedRules.some((rule) => rule.flag === 'newRequirement');
  const decision = decide(candidates, total, newRequirement, ruleSet);
  const administration = partyOfKind(parties, 'administration');

  const owner = decision.chosen ?? { area: 'unassigned' as const, partyKind: 'administration' as const, partyCode: administration.code };
  const ruleIds = decision.chosen?.ruleIds ?? firedRules.map((rule) => rule.id);

  return {
    area: owner.area,
    partyKind: owner.partyKind,
    partyCode: owner.partyCode,
    ruleIds,
    evidence: collectEvidence(hits),
    confidence: decision.confidence,
    candidates: candidates.map((candidate) => ({ ...candidate, score: round(candidate.score, 3) })),
    newRequirement,
    reason: decision.reason,
    ruleSetVersion: ruleSet.version,
  };
}

/**
 * Adds each voting rule's weight once, however many matches it has, split equally
 * among the owners it names. Returns the candidates best first.
 */
function tallyVotes(
  rules: readonly CompiledRule[],
  hits: readonly RuleHit[],
  supplierCode: string | null,
  parties: readonly Party[],
): OwnerCandidate[] {
  const mentioned = mentionedProviders(hits);
  const tally = new Map<string, OwnerCandidate>();

  for (const rule of rules) {
    if (rule.vote === null) {
      continue;
    }

    const ruleHits = hits.filter((hit) => hit.rule === rule);
    const owners = ownersOfVote(rule.vote, ruleHits, mentioned, supplierCode, parties);
    const share = rule.vote.weight / owners.length;

    for (const owner of owners) {
      const key = `${owner.area}|${owner.partyKind}|${owner.partyCode ?? ''}`;
      const candidate = tally.get(key) ?? { ...owner, score: 0, ruleIds: [] };
      candidate.score += share;
      candidate.ruleIds.push(rule.id);
      tally.set(key, candidate);
    }
  }

  return [...tally.values()].sort(compareCandidates);
}

/**
 * Resolves the party of a vote. 'mentioned-provider' means the data providers whose
 * names this rule matched, or when it matched none (a section named "Bastjänster"),
 * the providers that any rule found in the row. With no provider named anywhere,
 * the vote goes to an unnamed provider, which the decision sends to the administration.
 */
function ownersOfVote(
  vote: Vote,
  ruleHits: readonly RuleHit[],
  mentioned: readonly string[],
  supplierCode: string | null,
  parties: readonly Party[],
): Owner[] {
  switch (vote.party) {
    case 'supplier':
      return [{ area: vote.area, partyKind: 'supplier', partyCode: supplierCode }];
    case 'operations':
    case 'administration':
      return [{ area: vote.area, partyKind: vote.party, partyCode: partyOfKind(parties, vote.party).code }];
    case 'mentioned-provider': {
      const own = mentionedProviders(ruleHits);
      const codes = own.length > 0 ? own : mentioned;
      if (codes.length === 0) {
        return [{ area: vote.area, partyKind: 'data-provider', partyCode: null }];
      }
      return codes.map((code) => ({ area: vote.area, partyKind: 'data-provider' as const, partyCode: code }));
    }
  }
}

/** Checks, in order: a wish, an administration vote, a conflict, the threshold, a missing provider. */
function decide(candidates: readonly OwnerCandidate[], total: number, newRequirement: boolean, ruleSet: RuleSet): Decision {
  const [best, second] = candidates;
  if (best === undefined) {
    return { reason: newRequirement ? 'new-requirement' : 'no-evidence', chosen: null, confidence: 0 };
  }

  const strength = Math.min(1, best.score / ruleSet.fullStrength);
  const confidence = round((best.score / total) * strength, 3);
  const unassigned = (reason: ProposalReason): Decision => ({ reason, chosen: null, confidence });

  if (newRequirement) {
    return unassigned('new-requirement');
  }
  if (best.partyKind === 'administration') {
    return unassigned('administration-vote');
  }
  if (second !== undefined && (best.score - second.score) / total < ruleSet.conflictMargin) {
    return unassigned('conflict');
  }
  if (confidence < ruleSet.threshold) {
    return unassigned('below-threshold');
  }
  if (best.partyKind === 'data-provider' && best.partyCode === null) {
    return unassigned('provider-unknown');
  }

  return { reason: 'assigned', chosen: best, confidence };
}

/** Codes of the data providers named in the hits, in order of first appearance. */
function mentionedProviders(hits: readonly RuleHit[]): string[] {
  const codes = hits.flatMap((hit) => (hit.party?.kind === 'data-provider' ? [hit.party.code] : []));

  return [...new Set(codes)];
}

function uniqueRules(hits: readonly RuleHit[]): CompiledRule[] {
  return [...new Set(hits.map((hit) => hit.rule))];
}

/** Builds one evidence item per distinct rule, field and matched text, weighted with the rule's weight or 0 for a flag. */
function collectEvidence(hits: readonly RuleHit[]): Evidence[] {
  const seen = new Set<string>();
  const evidence: Evidence[] = [];

  for (const hit of hits) {
    const match = hit.match.replace(/\s+/g, ' ').trim();
    const key = `${hit.rule.id}|${hit.field}|${match}`;
    if (seen.has(key)) {
      continue;
    }

    seen.add(key);
    evidence.push({ ruleId: hit.rule.id, field: hit.field, match, weight: hit.rule.vote?.weight ?? 0 });
  }

  return evidence;
}

/** Orders by score, highest first. Equal scores are ordered by area, then party kind, then party code with null last. */
function compareCandidates(a: OwnerCandidate, b: OwnerCandidate): number {
  const byScore = round(b.score, 6) - round(a.score, 6);
  if (byScore !== 0) {
    return byScore;
  }

  const byArea = AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area);
  if (byArea !== 0) {
    return byArea;
  }

  return compareText(a.partyKind, b.partyKind) || compareText(a.partyCode ?? '\uffff', b.partyCode ?? '\uffff');
}

function compareText(a: string, b: string): number {
  if (a === b) {
    return 0;
  }

  return a < b ? -1 : 1;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;

  return Math.round(value * factor) / factor;
}
