/**
 * Decides how one parsed declaration changes the deviations: which rows create deviations, which
 * add occurrences to existing ones, which suggestions the administration gets, and, on a
 * re-processing, which stored fields and proposals change. Planning only reads, so that a dry run
 * reports exactly what a real run would write (sync-apply.ts).
 */
import type { Prisma } from '../generated/prisma/client.ts';
import { rowNames } from '../declarations/natural-key.ts';
import type { Candidate } from '../ingest/candidates.ts';
import type { RequirementRow } from '../ingest/model.ts';
import type { Proposal } from '../rules/model.ts';
import type { NewDeviationEvent } from '../workflow/events.ts';
import { CONTENT_FIELDS, effectiveFieldSources, systemFieldSources } from '../workflow/provenance.ts';
import { fromDbAnswer, fromDbArea, fromDbPartyKind, proposalColumns, toDbAnswer } from './enums.ts';
import type { DeviationRecord, OccurrenceRecord } from './write-declaration.ts';
import { randomUuid } from './uuids.ts';
import { isLaterReport, suggestionMark, type DeviationState, type StoredRow, type StoredSlot, type SyncState } from './sync-state.ts';

const SYSTEM = 'system';

/** Statuses in which a deviation needs no more work; a new unmet report proposes reopening it. */
export const FINISHED_STATUSES = ['fixed', 'closed', 'rejected_not_deviation', 'rejected_duplicate'] as const;
const isFinished = (status: string) => (FINISHED_STATUSES as readonly string[]).includes(status);

export type SuggestionKind = 'fixed' | 'reopen' | 'vanished';

/** A change proposed to the administration, stored in Deviation.pendingSuggestion. */
export interface Suggestion {
  kind: SuggestionKind;
  declarationId: string;
  /** The declaration's date (ISO 8601), which decides whether a later report supersedes it. */
  declaredAt: string;
  /** When the suggestion was made (ISO 8601). */
  at: string;
}

/** One parsed declaration, as the plan needs it. */
export interface IncomingDeclaration {
  declarationId: string;
  declaredAt: Date;
  supplierCode: string | null;
  businessSystemId: string | null;
  municipality: string | null;
  rows: RequirementRow[];
  candidates: { candidate: Candidate; proposal: Proposal }[];
  parserVersion: string;
  ruleSetVersion: string;
  /** The natural key of each row (naturalKeyFor), in row order. */
  naturalKeys: readonly (string | null)[];
}

/** A proposal as history events and `avvik reprocess --json` show it, with enum values in kebab case. */
export interface ProposalSummary {
  area: string;
  partyKind: string;
  partyCode: string | null;
  ruleIds: string[];
  confidence: number;
  parserVersion: string | null;
  ruleSetVersion: string;
}

/** The changes one processing makes to a declaration's deviations, for people and for `--json`. */
export interface DeclarationChanges {
  newCandidates: { requirementId: string | null; title: string; deviationId: string; existingDeviation: boolean }[];
  changedCandidates: { requirementId: string | null; deviationId: string; fields: string[] }[];
  vanishedCandidates: { requirementId: string | null; deviationId: string }[];
  changedProposals: { requirementId: string | null; deviationId: string; from: ProposalSummary; to: ProposalSummary }[];
  /** Proposals left alone because a person set the deviation's owner. */
  keptProposals: { requirementId: string | null; deviationId: string; wouldBe: ProposalSummary }[];
  suggestions: { deviationId: string; change: 'made' | 'withdrawn'; kind: SuggestionKind }[];
}

/** New values by column name; null stores SQL NULL (sync-apply.ts). */
export type ColumnValues<Input> = { [Column in keyof Input]?: unknown };

export interface SyncPlan {
  creates: DeviationRecord[];
  occurrenceCreates: OccurrenceRecord[];
  occurrenceUpdates: { id: string; data: ColumnValues<Prisma.DeviationOccurrenceUncheckedUpdateInput> }[];
  deviationUpdates: Map<string, ColumnValues<Prisma.DeviationUncheckedUpdateInput>>;
  events: NewDeviationEvent[];
  changes: DeclarationChanges;
}

export const countPlannedWrites = (plan: SyncPlan) =>
  plan.creates.length + plan.occurrenceCreates.length + plan.occurrenceUpdates.length + plan.deviationUpdates.size + plan.events.length;

/**
 * Plans the deviations of one declaration. `rowIds` are the ids its rows have after the write:
 * the stored ids when the rows did not change, new ids when they are replaced. `now` stamps
 * suggestions and withdrawn occurrences.
 */
export function planDeviations(state: SyncState, incoming: IncomingDeclaration, rowIds: readonly string[], now: Date): SyncPlan {
  return new Planner(state, incoming, rowIds, now).plan();
}

/** The deviation fields a suggestion reads. */
type SuggestionTarget = Pick<DeviationState, 'id' | 'status' | 'pendingSuggestion' | 'occurrences'>;

/** The declaration whose report a suggestion is based on. */
interface Report {
  declarationId: string;
  declaredAt: Date;
}

class Planner {
  private readonly result: SyncPlan = {
    creates: [],
    occurrenceCreates: [],
    occurrenceUpdates: [],
    deviationUpdates: new Map(),
    events: [],
    changes: { newCandidates: [], changedCandidates: [], vanishedCandidates: [], changedProposals: [], keptProposals: [], suggestions: [] },
  };
  private readonly names: string[];
  private readonly indexByName: Map<string, number>;
  private readonly oldRows: Map<string, { row: StoredRow; name: string }>;
  private readonly claimedKeys = new Set<string>();
  /** Pending suggestions as this plan leaves them, by deviation id. */
  private readonly pending = new Map<string, Suggestion | null>();

  constructor(
    private readonly state: SyncState,
    private readonly incoming: IncomingDeclaration,
    private readonly rowIds: readonly string[],
    private readonly now: Date,
  ) {
    this.names = rowNames(incoming.rows);
    this.indexByName = new Map(this.names.map((name, index) => [name, index]));
    const oldNames = rowNames(state.rows);
    this.oldRows = new Map(state.rows.map((row, index) => [row.id, { row, name: oldNames[index]! }]));
  }

  plan(): SyncPlan {
    const keys = this.rowKeys();
    const slotsByName = new Map<string, StoredSlot>();
    const slotsByDeviation = new Map<string, StoredSlot>();
    for (const slot of this.state.slots) {
      slotsByDeviation.set(slot.deviationId, slot);
      const name = slot.rowId ? this.oldRows.get(slot.rowId)?.name : undefined;
      if (name && !slotsByName.has(name)) slotsByName.set(name, slot);
    }
    const claimed = new Set<StoredSlot>();
    const candidateKeys = new Set<string>();

    for (const entry of this.incoming.candidates) {
      const index = entry.candidate.rowIndex;
      const key = keys[index] ?? null;
      if (key) candidateKeys.add(key);
      let slot = slotsByName.get(this.names[index]!);
      if (slot && claimed.has(slot)) slot = undefined;
      if (!slot && key && this.state.byKey.has(key)) {
        const other = slotsByDeviation.get(this.state.byKey.get(key)!);
        if (other && !claimed.has(other)) slot = other;
      }
      if (slot) {
        claimed.add(slot);
        this.matched(slot, entry, key);
      } else {
        this.added(entry, key);
      }
    }

    for (const slot of this.state.slots) if (!claimed.has(slot)) this.vanished(slot);

    this.incoming.rows.forEach((row, index) => {
      const key = keys[index];
      if (row.answer !== 'met' || !key || candidateKeys.has(key)) return;
      const deviationId = this.state.byKey.get(key);
      // A deviation this declaration reported before is handled as vanished, not as fixed by a later report.
      if (deviationId && !slotsByDeviation.has(deviationId)) this.reportedMet(this.state.deviations.get(deviationId)!);
    });
    return this.result;
  }

  /** Assigns each row its natural key. Only the first row with a key in a declaration takes it. */
  private rowKeys(): (string | null)[] {
    const seen = new Set<string>();
    return this.incoming.naturalKeys.map((key) => {
      if (!key || seen.has(key)) return null;
      seen.add(key);
      return key;
    });
  }

  /** Re-points, refreshes and re-proposes a candidate that was stored for this declaration before. */
  private matched(slot: StoredSlot, entry: IncomingDeclaration['candidates'][number], key: string | null) {
    const { candidate, proposal } = entry;
    const deviation = this.state.deviations.get(slot.deviationId)!;
    const rowId = this.rowIds[candidate.rowIndex]!;
    const answer = toDbAnswer(candidate.row.answer);
    const oldRow = slot.rowId ? this.oldRows.get(slot.rowId)?.row : undefined;
    const changedFields = oldRow ? rowDifferences(oldRow, candidate.row) : [];

    if (slot.occurrenceId === null) {
      this.occurrence(deviation.id, rowId, answer, null);
      this.event(deviation.id, 'occurrence-added', null, { declarationId: this.incoming.declarationId, answer: candidate.row.answer }, 'Förekomst registrerad vid omläsning');
    } else if (slot.rowId !== rowId || slot.answer !== answer || slot.withdrawn) {
      this.result.occurrenceUpdates.push({ id: slot.occurrenceId, data: { requirementRowId: rowId, answer, withdrawnAt: null } });
      if (slot.withdrawn) {
        this.event(deviation.id, 'occurrence-restored', null, { declarationId: this.incoming.declarationId, answer: candidate.row.answer }, 'Raden rapporteras åter som avvikelse');
      }
    }

    if (deviation.declarationId === this.incoming.declarationId) {
      if (deviation.requirementRowId !== rowId) this.update(deviation.id, { requirementRowId: rowId });
      changedFields.push(...this.refreshContent(deviation, candidate));
      this.repropose(deviation, proposal);
    }
    if (key && deviation.naturalKey === null && !this.state.byKey.has(key) && !this.claimedKeys.has(key)) {
      this.claimedKeys.add(key);
      this.update(deviation.id, { naturalKey: key });
      this.event(deviation.id, 'natural-key-set', null, { naturalKey: key }, null);
    }
    if (changedFields.length > 0) {
      this.result.changes.changedCandidates.push({ requirementId: candidate.row.requirementId, deviationId: deviation.id, fields: [...new Set(changedFields)] });
    }
    if (key) this.metInLaterDeclaration(deviation, key);
  }

  /** Adds a new candidate as an occurrence of the deviation with its key, or as a new deviation. */
  private added(entry: IncomingDeclaration['candidates'][number], key: string | null) {
    const { candidate, proposal } = entry;
    const rowId = this.rowIds[candidate.rowIndex]!;
    const answer = toDbAnswer(candidate.row.answer);
    const existingId = key ? this.state.byKey.get(key) : undefined;

    if (existingId) {
      const deviation = this.state.deviations.get(existingId)!;
      this.occurrence(deviation.id, rowId, answer, null);
      this.event(deviation.id, 'occurrence-added', null, {
        declarationId: this.incoming.declarationId,
        answer: candidate.row.answer,
        source: sourceOf(candidate.row),
        seenAt: this.incoming.declaredAt.toISOString(),
      }, this.isLatestReport(deviation) ? 'Rapporterad igen i en senare självdeklaration' : 'Rapporterad även i en äldre självdeklaration');
      this.result.changes.newCandidates.push({ requirementId: candidate.row.requirementId, title: candidate.title, deviationId: deviation.id, existingDeviation: true });
      this.reportedUnmet(deviation);
      this.metInLaterDeclaration(deviation, key!);
      this.takeOverIfOlder(deviation, entry, rowId);
      return;
    }

    const id = randomUuid();
    const naturalKey = key && !this.claimedKeys.has(key) ? key : null;
    if (naturalKey) this.claimedKeys.add(naturalKey);
    const create = this.newDeviation(id, rowId, naturalKey, candidate, proposal);
    this.result.creates.push(create);
    this.occurrence(id, rowId, answer, null);
    this.event(id, 'created', null, {
      status: 'new',
      proposal: {
        area: proposal.area,
        partyKind: proposal.partyKind,
        partyCode: proposal.partyCode,
        ruleIds: proposal.ruleIds,
        confidence: proposal.confidence,
      },
      parserVersion: this.incoming.parserVersion,
      ruleSetVersion: this.incoming.ruleSetVersion,
    }, 'Skapad från självdeklaration');
    this.result.changes.newCandidates.push({ requirementId: candidate.row.requirementId, title: candidate.title, deviationId: id, existingDeviation: false });
    if (naturalKey) this.metInLaterDeclaration({ id, status: 'new', pendingSuggestion: null, occurrences: [] }, naturalKey);
  }

  /** Withdraws the occurrence of a candidate that the new parse no longer finds. The deviation is kept. */
  private vanished(slot: StoredSlot) {
    if (slot.withdrawn) return;
    const deviation = this.state.deviations.get(slot.deviationId)!;
    const old = slot.rowId ? this.oldRows.get(slot.rowId) : undefined;
    const sameIndex = old ? this.indexByName.get(old.name) : undefined;
    const rowId = sameIndex === undefined ? null : this.rowIds[sameIndex]!;

    if (slot.occurrenceId === null) {
      this.occurrence(deviation.id, rowId, slot.answer ?? 'not_met', this.now);
    } else {
      this.result.occurrenceUpdates.push({ id: slot.occurrenceId, data: { requirementRowId: rowId, withdrawnAt: this.now } });
    }
    if (deviation.declarationId === this.incoming.declarationId && deviation.requirementRowId !== rowId) {
      this.update(deviation.id, { requirementRowId: rowId });
    }
    this.event(deviation.id, 'candidate-vanished', {
      declarationId: this.incoming.declarationId,
      requirementId: old?.row.requirementId ?? deviation.requirementId,
      answer: slot.answer === null ? null : fromDbAnswer(slot.answer),
      source: old ? storedSourceOf(old.row) : null,
    }, { answer: sameIndex === undefined ? null : this.incoming.rows[sameIndex]!.answer }, 'Raden är inte längre en avvikelse när deklarationen läses om');
    this.result.changes.vanishedCandidates.push({ requirementId: old?.row.requirementId ?? deviation.requirementId, deviationId: deviation.id });

    const sources = effectiveFieldSources(deviation);
    const untouched = Object.values(sources).every((source) => source === 'system') && deviation._count.comments === 0 && deviation._count.attachments === 0;
    if (untouched && deviation.status === 'new') this.suggest(deviation, 'vanished');
  }

  /** Proposes reopening a finished deviation reported unmet again, or withdraws a contradicted fixed suggestion. */
  private reportedUnmet(deviation: DeviationState) {
    const latest = this.latestSeen(deviation);
    const pending = this.pendingOf(deviation);
    if (isFinished(deviation.status)) {
      if (latest === null || this.incoming.declaredAt >= latest) this.suggest(deviation, 'reopen');
    } else if (pending?.kind === 'fixed' && this.incoming.declaredAt >= new Date(pending.declaredAt)) {
      this.withdraw(deviation, pending);
    }
  }

  /** Proposes that an open deviation is fixed when a later report answers it met, or withdraws a contradicted reopen suggestion. */
  private reportedMet(deviation: DeviationState) {
    const latest = this.latestSeen(deviation);
    const pending = this.pendingOf(deviation);
    if (!isFinished(deviation.status)) {
      if (latest === null || this.incoming.declaredAt >= latest) this.suggest(deviation, 'fixed');
    } else if (pending?.kind === 'reopen' && this.incoming.declaredAt >= new Date(pending.declaredAt)) {
      this.withdraw(deviation, pending);
    }
  }

  /**
   * Proposes that a deviation this declaration reports unmet is fixed, when another declaration of
   * the system, dated later than every unmet report, reports the requirement as met. That later
   * declaration may have been stored first, as when an archive is imported out of date order.
   */
  private metInLaterDeclaration(deviation: SuggestionTarget, key: string) {
    const report = this.state.laterMet.get(key);
    if (!report || isFinished(deviation.status)) return;
    const latest = this.latestSeen(deviation);
    if (report.declaredAt < this.incoming.declaredAt || (latest !== null && report.declaredAt < latest)) return;
    this.suggest(deviation, 'fixed', report);
  }

  /**
   * Makes this declaration the deviation's source when it is older than the current source, so
   * that the deviation's texts and proposal come from the oldest declaration that reports it
   * unmet, whatever order the declarations are stored in. Its own re-processing then refreshes
   * them, as for any source. Fields a person set stay as they are, as on re-processing.
   */
  private takeOverIfOlder(deviation: DeviationState, entry: IncomingDeclaration['candidates'][number], rowId: string) {
    if (deviation.declarationId === null || deviation.reportedById !== null) return;
    const source = deviation.occurrences.find((occurrence) => occurrence.declarationId === deviation.declarationId);
    if (!source) return;
    const incoming = this.incoming.declaredAt.getTime();
    const current = source.seenAt.getTime();
    if (incoming > current || (incoming === current && this.incoming.declarationId > deviation.declarationId)) return;

    this.update(deviation.id, { declarationId: this.incoming.declarationId, requirementRowId: rowId, requirementId: entry.candidate.row.requirementId });
    this.event(
      deviation.id,
      'source-changed',
      { declarationId: deviation.declarationId, declaredAt: source.seenAt.toISOString() },
      { declarationId: this.incoming.declarationId, declaredAt: this.incoming.declaredAt.toISOString() },
      'En äldre självdeklaration rapporterar samma krav',
    );
    const asSource = { ...deviation, declarationId: this.incoming.declarationId };
    this.refreshContent(asSource, entry.candidate, 'Hämtad från den äldsta självdeklarationen');
    this.repropose(asSource, entry.proposal);
  }

  /** Returns true when this declaration is at least as recent as every other report of the deviation. */
  private isLatestReport(deviation: DeviationState): boolean {
    const latest = this.latestSeen(deviation);
    return latest === null || this.incoming.declaredAt >= latest;
  }

  /** Finds the date of the deviation's latest active occurrence in another declaration. */
  private latestSeen(deviation: SuggestionTarget): Date | null {
    let latest: Date | null = null;
    for (const occurrence of deviation.occurrences) {
      if (occurrence.declarationId === this.incoming.declarationId) continue;
      if (latest === null || occurrence.seenAt > latest) latest = occurrence.seenAt;
    }
    return latest;
  }

  private pendingOf(deviation: SuggestionTarget): Suggestion | null {
    if (this.pending.has(deviation.id)) return this.pending.get(deviation.id)!;
    return (deviation.pendingSuggestion as Suggestion | null) ?? null;
  }

  /**
   * Makes a suggestion based on a declaration's report, this declaration's by default, unless that
   * declaration made the same one before, so that a settled suggestion does not return.
   */
  private suggest(deviation: SuggestionTarget, kind: SuggestionKind, report: Report = this.incoming) {
    const mark = suggestionMark(deviation.id, kind, report.declarationId);
    if (this.state.suggestionsMade.has(mark)) return;
    const previous = this.pendingOf(deviation);
    // A suggestion names the latest report of its kind, whatever order the reports came in: one
    // made before from a report at least as recent, pending or settled, is not made again.
    const latestKey = `${deviation.id}|${kind}`;
    const latest = this.state.latestSuggested.get(latestKey) ?? (previous?.kind === kind ? previous : undefined);
    if (kind !== 'vanished' && latest && !isLaterReport(report, latest)) return;
    this.state.suggestionsMade.add(mark);
    this.state.latestSuggested.set(latestKey, { declarationId: report.declarationId, declaredAt: report.declaredAt.toISOString() });
    const suggestion: Suggestion = {
      kind,
      declarationId: report.declarationId,
      declaredAt: report.declaredAt.toISOString(),
      at: this.now.toISOString(),
    };
    this.pending.set(deviation.id, suggestion);
    this.update(deviation.id, { pendingSuggestion: suggestion });
    this.event(deviation.id, 'suggestion-made', previous as unknown as Prisma.InputJsonValue, suggestion as unknown as Prisma.InputJsonValue, SUGGESTION_REASONS[kind]);
    this.result.changes.suggestions.push({ deviationId: deviation.id, change: 'made', kind });
  }

  private withdraw(deviation: DeviationState, pending: Suggestion) {
    this.pending.set(deviation.id, null);
    this.update(deviation.id, { pendingSuggestion: null });
    this.event(deviation.id, 'suggestion-withdrawn', pending as unknown as Prisma.InputJsonValue, { declarationId: this.incoming.declarationId }, 'En senare självdeklaration säger emot förslaget');
    this.result.changes.suggestions.push({ deviationId: deviation.id, change: 'withdrawn', kind: pending.kind });
  }

  /** Rewrites the content fields the system set last, with one event listing every change. */
  private refreshContent(deviation: DeviationState, candidate: Candidate, reason = 'Uppdaterad när deklarationen lästes om'): string[] {
    const sources = effectiveFieldSources(deviation);
    const next = contentOf(candidate);
    const current: Record<(typeof CONTENT_FIELDS)[number], unknown> = {
      title: deviation.title,
      reproduction: deviation.reproduction,
      result: deviation.result,
      material: deviation.material,
      contact: { name: deviation.contactName, phone: deviation.contactPhone, email: deviation.contactEmail },
      missingFields: deviation.missingFields,
    };
    const from: Record<string, unknown> = {};
    const to: Record<string, unknown> = {};
    for (const field of CONTENT_FIELDS) {
      if (sources[field] !== 'system' || stableJson(current[field]) === stableJson(next[field])) continue;
      from[field] = current[field];
      to[field] = next[field];
    }
    const answer = toDbAnswer(candidate.row.answer);
    if (deviation.answer !== answer) {
      from.answer = deviation.answer === null ? null : fromDbAnswer(deviation.answer);
      to.answer = candidate.row.answer;
    }
    const changed = Object.keys(to);
    if (changed.length === 0) return [];

    const data: ColumnValues<Prisma.DeviationUncheckedUpdateInput> = {};
    if ('title' in to) data.title = next.title;
    if ('reproduction' in to) data.reproduction = next.reproduction;
    if ('result' in to) data.result = next.result;
    if ('material' in to) data.material = next.material;
    if ('missingFields' in to) data.missingFields = next.missingFields;
    if ('contact' in to) Object.assign(data, { contactName: next.contact.name, contactPhone: next.contact.phone, contactEmail: next.contact.email });
    if ('answer' in to) data.answer = answer;
    this.update(deviation.id, data);
    // Contact details stay out of the history, which more parties may read than the contact itself.
    const redact = (values: Record<string, unknown>) => ('contact' in values ? { ...values, contact: '(ändrad)' } : values);
    this.event(deviation.id, 'fields-updated', redact(from) as Prisma.InputJsonValue, redact(to) as Prisma.InputJsonValue, reason);
    return changed;
  }

  /** Replaces the proposal and its versions unless a person set the owner. */
  private repropose(deviation: DeviationState, proposal: Proposal) {
    const sources = effectiveFieldSources(deviation);
    const from = summariseStored(deviation);
    const to: ProposalSummary = {
      area: proposal.area,
      partyKind: proposal.partyKind,
      partyCode: proposal.partyCode,
      ruleIds: proposal.ruleIds,
      confidence: proposal.confidence,
      parserVersion: this.incoming.parserVersion,
      ruleSetVersion: proposal.ruleSetVersion,
    };
    const sameProposal =
      stableJson({ ...from, parserVersion: null, ruleSetVersion: null }) === stableJson({ ...to, parserVersion: null, ruleSetVersion: null }) &&
      stableJson(deviation.proposalEvidence) === stableJson(proposal.evidence) &&
      stableJson(deviation.proposalCandidates) === stableJson(proposal.candidates) &&
      deviation.newRequirement === proposal.newRequirement;
    const sameVersions = from.parserVersion === to.parserVersion && from.ruleSetVersion === to.ruleSetVersion;
    if (sameProposal && sameVersions) return;

    if (sources.owner === 'person' || sources.proposal === 'person') {
      if (!sameProposal) this.result.changes.keptProposals.push({ requirementId: deviation.requirementId, deviationId: deviation.id, wouldBe: to });
      return;
    }
    this.update(deviation.id, {
      ...proposalColumns(proposal),
      parserVersion: this.incoming.parserVersion,
    });
    this.event(
      deviation.id,
      'proposal-updated',
      from as unknown as Prisma.InputJsonValue,
      to as unknown as Prisma.InputJsonValue,
      sameProposal ? 'Samma förslag med nya versioner av tolkare och regler' : 'Nytt förslag när deklarationen lästes om',
    );
    if (!sameProposal) this.result.changes.changedProposals.push({ requirementId: deviation.requirementId, deviationId: deviation.id, from, to });
  }

  private newDeviation(id: string, rowId: string, naturalKey: string | null, candidate: Candidate, proposal: Proposal): DeviationRecord {
    const content = contentOf(candidate);
    return {
      id,
      declarationId: this.incoming.declarationId,
      requirementRowId: rowId,
      businessSystemId: this.incoming.businessSystemId,
      supplierCode: this.incoming.supplierCode,
      municipality: this.incoming.municipality,
      requirementId: candidate.row.requirementId,
      naturalKey,
      answer: toDbAnswer(candidate.row.answer),
      title: content.title,
      reproduction: content.reproduction,
      result: content.result,
      material: content.material,
      contactName: content.contact.name,
      contactPhone: content.contact.phone,
      contactEmail: content.contact.email,
      missingFields: content.missingFields,
      ...proposalColumns(proposal),
      parserVersion: this.incoming.parserVersion,
      fieldSources: systemFieldSources(),
    };
  }

  private occurrence(deviationId: string, rowId: string | null, answer: OccurrenceRecord['answer'], withdrawnAt: Date | null) {
    this.result.occurrenceCreates.push({
      id: randomUuid(),
      deviationId,
      declarationId: this.incoming.declarationId,
      requirementRowId: rowId,
      answer,
      seenAt: this.incoming.declaredAt,
      withdrawnAt,
    });
  }

  private update(deviationId: string, data: ColumnValues<Prisma.DeviationUncheckedUpdateInput>) {
    this.result.deviationUpdates.set(deviationId, { ...this.result.deviationUpdates.get(deviationId), ...data });
  }

  private event(deviationId: string, type: NewDeviationEvent['type'], fromValue: unknown, toValue: unknown, reason: string | null) {
    this.result.events.push({
      deviationId,
      actor: SYSTEM,
      type,
      fromValue: (fromValue ?? null) as Prisma.InputJsonValue | null,
      toValue: (toValue ?? null) as Prisma.InputJsonValue | null,
      reason,
    });
  }
}

const SUGGESTION_REASONS: Record<SuggestionKind, string> = {
  fixed: 'En senare självdeklaration anger kravet som uppfyllt',
  reopen: 'En senare självdeklaration anger kravet som ouppfyllt igen',
  vanished: 'Raden är inte längre en avvikelse när deklarationen läses om',
};

function contentOf(candidate: Candidate) {
  return {
    title: candidate.title,
    reproduction: candidate.reproduction,
    result: candidate.result,
    material: candidate.material,
    contact: { name: candidate.contact.name, phone: candidate.contact.phone, email: candidate.contact.email },
    missingFields: candidate.missingFields as string[],
  };
}

function summariseStored(deviation: DeviationState): ProposalSummary {
  return {
    area: fromDbArea(deviation.proposedArea),
    partyKind: fromDbPartyKind(deviation.proposedPartyKind),
    partyCode: deviation.proposedPartyCode,
    ruleIds: deviation.proposalRuleIds,
    confidence: deviation.proposalConfidence,
    parserVersion: deviation.parserVersion,
    ruleSetVersion: deviation.ruleSetVersion,
  };
}

function sourceOf(row: RequirementRow) {
  return row.source.kind === 'sheet' ? { sheet: row.source.sheet, row: row.source.row } : { page: row.source.page, line: row.source.line };
}

function storedSourceOf(row: StoredRow) {
  return row.sourceSheet !== null ? { sheet: row.sourceSheet, row: row.sourceRow ?? 0 } : { page: row.sourcePage ?? 0, line: row.sourceLine ?? 0 };
}

/** Names the parts of a row that differ between the stored and the new parse. */
function rowDifferences(stored: StoredRow, row: RequirementRow): string[] {
  const fields: string[] = [];
  if (stored.text !== row.text) fields.push('text');
  if (stored.answer !== toDbAnswer(row.answer) || stored.answerRaw !== row.answerRaw) fields.push('answer');
  if (stored.comment !== row.comment) fields.push('comment');
  if (stored.requirementId !== row.requirementId) fields.push('requirementId');
  if (stored.areaHint !== row.areaHint) fields.push('areaHint');
  if (stableJson(stored.attachments) !== stableJson(row.attachments)) fields.push('attachments');
  if (stableJson(storedSourceOf(stored)) !== stableJson(sourceOf(row))) fields.push('source');
  return fields;
}

/** Tells whether the stored rows equal the parsed ones, position by position. */
export function rowsEqual(stored: readonly StoredRow[], rows: readonly RequirementRow[]): boolean {
  return stored.length === rows.length && stored.every((row, index) => row.position === index && rowDifferences(row, rows[index]!).length === 0);
}

/** JSON with object keys sorted, because PostgreSQL's jsonb does not keep the order they were written in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}
