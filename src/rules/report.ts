/**
 * Rule quality: how the owners that administrators confirmed or assigned compare with the
 * proposals the rules made. A rule is credited with every proposal whose proposalRuleIds list it.
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { fromDbArea, fromDbPartyKind } from '../db/enums.ts';

/** An owner that administrators chose, and how often. */
export interface OwnerCount {
  area: string;
  partyCode: string;
  count: number;
}

export interface Outcomes {
  /** Proposals counted. */
  fired: number;
  /** The owner equals the proposed area and party. */
  confirmed: number;
  /** The proposal named an owner and a person chose another. */
  overruled: number;
  /** The proposal left the deviation to the administration, and a person then set an owner. */
  decidedWithoutProposal: number;
  /** No owner has been set yet. */
  open: number;
  /** The owners chosen in place of a proposed one, most frequent first. */
  overruledTo: OwnerCount[];
  /** The owners set where the rules proposed none, most frequent first. */
  decidedTo: OwnerCount[];
}

export interface RuleOutcomes extends Outcomes {
  ruleId: string;
}

export interface RuleSetVersionCount {
  version: string;
  deviations: number;
}

export interface RulesReport {
  /** The rule-set versions that made the proposals counted, with their number of deviations. */
  ruleSetVersions: RuleSetVersionCount[];
  /** The versions the report was narrowed to, or none when it covers every version. */
  requestedRuleSetVersions: string[];
  /** Every rule-set version that made a stored deviation's proposal, whether counted or not. */
  storedRuleSetVersions: RuleSetVersionCount[];
  totals: Outcomes;
  /** One entry per rule id that fired, most fired first. */
  rules: RuleOutcomes[];
}

const REPORT_SELECT = {
  id: true,
  proposedArea: true,
  proposedPartyKind: true,
  proposedPartyCode: true,
  proposalRuleIds: true,
  ownerArea: true,
  ownerPartyCode: true,
  ruleSetVersion: true,
} as const satisfies Prisma.DeviationSelect;
type ReportRecord = Prisma.DeviationGetPayload<{ select: typeof REPORT_SELECT }>;

type Outcome = { kind: 'confirmed' | 'open' } | { kind: 'overruled' | 'decidedWithoutProposal'; owner: string };

/** Classifies one deviation's proposal against the owner a person set. */
export function classifyProposal(record: ReportRecord): Outcome {
  if (!record.ownerArea || record.ownerArea === 'unassigned' || !record.ownerPartyCode) return { kind: 'open' };
  const owner = `${fromDbArea(record.ownerArea)}/${record.ownerPartyCode}`;
  const namedOwner = record.proposedArea !== 'unassigned'
    && record.proposedPartyCode !== null
    && fromDbPartyKind(record.proposedPartyKind) !== 'administration';
  if (!namedOwner) return { kind: 'decidedWithoutProposal', owner };
  if (record.ownerArea === record.proposedArea && record.ownerPartyCode === record.proposedPartyCode) return { kind: 'confirmed' };
  return { kind: 'overruled', owner };
}

class Tally {
  fired = 0;
  confirmed = 0;
  overruled = 0;
  decidedWithoutProposal = 0;
  open = 0;
  readonly overruledTo = new Map<string, number>();
  readonly decidedTo = new Map<string, number>();

  add(outcome: Outcome): void {
    this.fired += 1;
    this[outcome.kind] += 1;
    if (outcome.kind === 'overruled') this.overruledTo.set(outcome.owner, (this.overruledTo.get(outcome.owner) ?? 0) + 1);
    if (outcome.kind === 'decidedWithoutProposal') this.decidedTo.set(outcome.owner, (this.decidedTo.get(outcome.owner) ?? 0) + 1);
  }

  toOutcomes(): Outcomes {
    const { fired, confirmed, overruled, decidedWithoutProposal, open } = this;
    return { fired, confirmed, overruled, decidedWithoutProposal, open, overruledTo: ownerCounts(this.overruledTo), decidedTo: ownerCounts(this.decidedTo) };
  }
}

function ownerCounts(counts: Map<string, number>): OwnerCount[] {
  return [...counts]
    .map(([owner, count]) => {
      const separator = owner.indexOf('/');
      return { area: owner.slice(0, separator), partyCode: owner.slice(separator + 1), count };
    })
    .sort((a, b) => b.count - a.count || a.area.localeCompare(b.area) || a.partyCode.localeCompare(b.partyCode));
}

export interface RulesReportOptions {
  /** Only proposals made by these rule-set versions; all when empty or left out. */
  ruleSetVersions?: string[];
  /**
   * The version of the rule set in use. It may be requested before any stored proposal was made
   * with it, and then gives an empty report.
   */
  currentRuleSetVersion?: string;
  /** Deviations read per query. */
  pageSize?: number;
}

/** Error for requested rule-set versions that made no stored proposal and are not the current one, most likely typing errors. */
export class UnknownRuleSetVersionError extends Error {
  constructor(
    readonly unknownVersions: string[],
    readonly storedVersions: RuleSetVersionCount[],
    readonly currentVersion: string | undefined,
  ) {
    super(describeUnknownVersions(unknownVersions, storedVersions, currentVersion));
    this.name = 'UnknownRuleSetVersionError';
  }
}

function describeUnknownVersions(unknown: string[], stored: RuleSetVersionCount[], current: string | undefined): string {
  const listed = unknown.length === 1 ? `rule set ${unknown[0]}` : `rule sets ${unknown.slice(0, -1).join(', ')} and ${unknown.at(-1)}`;
  const known = stored.map((entry) => {
    const deviations = `${entry.deviations} deviation${entry.deviations === 1 ? '' : 's'}`;
    return `${entry.version} (${deviations}${entry.version === current ? ', the current rule set' : ''})`;
  });
  if (current !== undefined && !stored.some((entry) => entry.version === current)) {
    known.push(`${current} (the current rule set, no deviations yet)`);
  }
  const knownSentence = known.length > 0 ? ` Known rule sets: ${known.join(', ')}.` : ' No deviations are stored.';
  return `No stored proposal was made by ${listed}.${knownSentence} Check --rule-set for a typing error, or leave out --rule-set to report on every rule set.`;
}

/**
 * Builds the report over every deviation, reading them in pages of `pageSize` (1000 by default).
 * Raises UnknownRuleSetVersionError, before reading any deviation, when a requested rule-set
 * version made no stored proposal and is not the current one.
 */
export async function buildRulesReport(prisma: PrismaClient, options: RulesReportOptions = {}): Promise<RulesReport> {
  const requested = options.ruleSetVersions ?? [];
  const storedVersions = requested.length > 0 ? await countStoredVersions(prisma) : null;
  if (storedVersions) {
    const stored = new Set(storedVersions.map((entry) => entry.version));
    const unknown = [...new Set(requested)].filter((version) => !stored.has(version) && version !== options.currentRuleSetVersion);
    if (unknown.length > 0) throw new UnknownRuleSetVersionError(unknown, storedVersions, options.currentRuleSetVersion);
  }

  const where: Prisma.DeviationWhereInput = requested.length > 0 ? { ruleSetVersion: { in: requested } } : {};
  const pageSize = options.pageSize ?? 1000;
  const totals = new Tally();
  const rules = new Map<string, Tally>();
  const versions = new Map<string, number>();
  let lastId: string | undefined;

  for (;;) {
    const page: ReportRecord[] = await prisma.deviation.findMany({
      where: lastId ? { AND: [where, { id: { gt: lastId } }] } : where,
      select: REPORT_SELECT,
      orderBy: { id: 'asc' },
      take: pageSize,
    });
    for (const record of page) {
      const outcome = classifyProposal(record);
      totals.add(outcome);
      versions.set(record.ruleSetVersion, (versions.get(record.ruleSetVersion) ?? 0) + 1);
      for (const ruleId of new Set(record.proposalRuleIds)) {
        const tally = rules.get(ruleId) ?? new Tally();
        tally.add(outcome);
        rules.set(ruleId, tally);
      }
    }
    if (page.length < pageSize) break;
    lastId = page[page.length - 1]!.id;
  }

  const ruleSetVersions = sortVersions([...versions].map(([version, deviations]) => ({ version, deviations })));
  return {
    ruleSetVersions,
    requestedRuleSetVersions: requested,
    storedRuleSetVersions: storedVersions ?? ruleSetVersions,
    totals: totals.toOutcomes(),
    rules: [...rules]
      .map(([ruleId, tally]) => ({ ruleId, ...tally.toOutcomes() }))
      .sort((a, b) => b.fired - a.fired || a.ruleId.localeCompare(b.ruleId)),
  };
}

async function countStoredVersions(prisma: PrismaClient): Promise<RuleSetVersionCount[]> {
  const groups = await prisma.deviation.groupBy({ by: ['ruleSetVersion'], _count: { _all: true } });
  return sortVersions(groups.map((group) => ({ version: group.ruleSetVersion, deviations: group._count._all })));
}

const sortVersions = (counts: RuleSetVersionCount[]) => counts.sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
