/**
 * The columns each response needs, and the mapping from those rows to the response shapes of
 * schemas.ts. Enum values become kebab case and dates ISO 8601 strings, as in `avvik ingest --json`.
 */
import type { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.ts';
import { eventValueInApiSpelling, fromDbAnswer, fromDbArea, fromDbPartyKind } from '../db/enums.ts';
import { personalIdentityDigits } from '../declarations/luhn.ts';
import type { AnswerCounts } from '../db/store-declaration.ts';
import { toCalendarDate } from '../workflow/dates.ts';
import { PARTY_KIND_OF_AREA, type OwnerArea } from '../workflow/ownership.ts';
import { effectiveFieldSources } from '../workflow/provenance.ts';
import { allowedTransitions, DONE_STATUSES, fromDbStatus } from '../workflow/state-machine.ts';
import { toRole } from './auth.ts';
import type { declarationDetailSchema, declarationSummarySchema, deviationDetailSchema, deviationSummarySchema, userRefSchema } from './schemas.ts';
import { contactText, maskContactValue, organisationNumberText, partyCodeText } from './contact-text.ts';
import { CONTACT_FACTS_SELECT } from './scope.ts';

type UserRef = z.output<typeof userRefSchema>;

export const USER_REF_SELECT = { id: true, name: true, role: true, party: { select: { code: true } } } as const satisfies Prisma.UserSelect;
type UserRecord = Prisma.UserGetPayload<{ select: typeof USER_REF_SELECT }>;

/**
 * Presents a user by id, role and party. A user's name may be a person's name, and a sole
 * trader's party code may contain a personal identity number, so both are shown only to callers
 * who may see the deviation's contact details.
 */
export function presentUser(user: UserRecord, nameVisible: boolean): UserRef {
  return { id: user.id, name: nameVisible ? user.name : null, role: toRole(user.role), partyCode: partyCodeText(user.party?.code ?? null, nameVisible) };
}

function hideName(user: UserRef, nameVisible: boolean): UserRef {
  return nameVisible ? user : { ...user, name: null, partyCode: partyCodeText(user.partyCode, false) };
}

export const DEVIATION_SUMMARY_SELECT = {
  id: true,
  title: true,
  status: true,
  requirementId: true,
  answer: true,
  declarationId: true,
  businessSystem: { select: { id: true, name: true } },
  supplierCode: true,
  municipality: true,
  proposedArea: true,
  proposedPartyKind: true,
  proposedPartyCode: true,
  proposalRuleIds: true,
  proposalConfidence: true,
  newRequirement: true,
  ownerArea: true,
  ownerPartyCode: true,
  ownerSetBy: true,
  ownerSetAt: true,
  dueDate: true,
  reportedBy: { select: USER_REF_SELECT },
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.DeviationSelect;
type DeviationSummaryRecord = Prisma.DeviationGetPayload<{ select: typeof DEVIATION_SUMMARY_SELECT }>;

export function presentDeviationSummary(
  record: DeviationSummaryRecord,
  today: string,
  namesVisible = false,
): z.output<typeof deviationSummarySchema> {
  const status = fromDbStatus(record.status);
  const dueDate = toCalendarDate(record.dueDate);
  return {
    id: record.id,
    title: contactText(record.title, namesVisible),
    status,
    requirementId: contactText(record.requirementId, namesVisible),
    answer: record.answer ? (fromDbAnswer(record.answer) as 'not-met' | 'partially-met') : null,
    declarationId: record.declarationId,
    businessSystem: record.businessSystem,
    supplierCode: partyCodeText(record.supplierCode, namesVisible),
    municipality: record.municipality,
    proposal: {
      area: fromDbArea(record.proposedArea),
      partyKind: fromDbPartyKind(record.proposedPartyKind),
      partyCode: partyCodeText(record.proposedPartyCode, namesVisible),
      ruleIds: record.proposalRuleIds,
      confidence: record.proposalConfidence,
      newRequirement: record.newRequirement,
    },
    owner:
      record.ownerArea && record.ownerArea !== 'unassigned' && record.ownerPartyCode
        ? {
            area: fromDbArea(record.ownerArea),
            partyKind: PARTY_KIND_OF_AREA[fromDbArea(record.ownerArea) as OwnerArea],
            partyCode: partyCodeText(record.ownerPartyCode, namesVisible),
            setBy: record.ownerSetBy,
            setAt: record.ownerSetAt?.toISOString() ?? null,
          }
        : null,
    dueDate,
    overdue: dueDate !== null && dueDate < today && !DONE_STATUSES.includes(status),
    reportedBy: record.reportedBy ? presentUser(record.reportedBy, namesVisible) : null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

const SOURCE_SELECT = { sourceSheet: true, sourceRow: true, sourcePage: true, sourceLine: true } as const satisfies Prisma.RequirementRowSelect;
type SourceRecord = Prisma.RequirementRowGetPayload<{ select: typeof SOURCE_SELECT }>;

/** Presents where a requirement row stands in its file. A sheet's name can hold contact details, so it is masked as free text. */
export function presentSource(row: SourceRecord, contactVisible: boolean): { sheet: string; row: number } | { page: number; line: number };
export function presentSource(row: SourceRecord | null, contactVisible: boolean): { sheet: string; row: number } | { page: number; line: number } | null;
export function presentSource(row: SourceRecord | null, contactVisible: boolean) {
  if (!row) return null;
  return row.sourceSheet !== null
    ? { sheet: contactText(row.sourceSheet, contactVisible), row: row.sourceRow ?? 0 }
    : { page: row.sourcePage ?? 0, line: row.sourceLine ?? 0 };
}

export const DEVIATION_DETAIL_SELECT = {
  ...DEVIATION_SUMMARY_SELECT,
  ...CONTACT_FACTS_SELECT,
  reportedBy: { select: { ...USER_REF_SELECT, ...CONTACT_FACTS_SELECT.reportedBy.select } },
  reproduction: true,
  result: true,
  material: true,
  missingFields: true,
  contactName: true,
  contactPhone: true,
  contactEmail: true,
  proposalEvidence: true,
  proposalCandidates: true,
  parserVersion: true,
  ruleSetVersion: true,
  requirementRow: { select: SOURCE_SELECT },
  pendingSuggestion: true,
  fieldSources: true,
  ownerSetBy: true,
  reportedById: true,
  occurrences: {
    select: {
      declarationId: true,
      answer: true,
      seenAt: true,
      withdrawnAt: true,
      declaration: { select: { receivedAt: true } },
      requirementRow: { select: SOURCE_SELECT },
    },
    orderBy: [{ seenAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
  },
  comments: { select: { id: true, body: true, createdAt: true, author: { select: USER_REF_SELECT } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  attachments: {
    select: { id: true, fileName: true, mediaType: true, sizeBytes: true, sha256: true, createdAt: true, uploadedBy: { select: USER_REF_SELECT } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  },
  events: { select: { id: true, at: true, actor: true, type: true, fromValue: true, toValue: true, reason: true }, orderBy: [{ at: 'asc' }, { id: 'asc' }] },
} as const satisfies Prisma.DeviationSelect;
export type DeviationDetailRecord = Prisma.DeviationGetPayload<{ select: typeof DEVIATION_DETAIL_SELECT }>;

type DeviationDetail = z.output<typeof deviationDetailSchema>;

/**
 * Maps a deviation with its comments, attachments and history. `contactVisible` comes from the
 * visibility rules; without it the contact is null. `actors` resolves the user ids in the history.
 */
export function presentDeviationDetail(
  record: DeviationDetailRecord,
  options: { today: string; contactVisible: boolean; actors: Map<string, UserRef> },
): DeviationDetail {
  const summary = presentDeviationSummary(record, options.today, options.contactVisible);
  const names = options.contactVisible;
  const row = record.requirementRow;
  return {
    ...summary,
    proposal: {
      ...summary.proposal,
      evidence: record.proposalEvidence as DeviationDetail['proposal']['evidence'],
      candidates: (record.proposalCandidates as DeviationDetail['proposal']['candidates']).map((candidate) => ({
        ...candidate,
        partyCode: partyCodeText(candidate.partyCode, names),
      })),
    },
    reproduction: contactText(record.reproduction, options.contactVisible),
    result: contactText(record.result, options.contactVisible),
    // Material names files, such as the declaration's, whose names may contain contact details.
    material: record.material.map((item) => contactText(item, options.contactVisible)),
    missingFields: record.missingFields,
    contact: options.contactVisible ? { name: record.contactName, phone: record.contactPhone, email: record.contactEmail } : null,
    contactRestricted: !options.contactVisible,
    source: presentSource(row, options.contactVisible),
    ...presentOccurrences(record, options.contactVisible),
    parserVersion: record.parserVersion,
    ruleSetVersion: record.ruleSetVersion,
    allowedTransitions: [...allowedTransitions(summary.status)],
    comments: record.comments.map((comment) => ({
      id: comment.id,
      author: presentUser(comment.author, names),
      body: contactText(comment.body, names),
      createdAt: comment.createdAt.toISOString(),
    })),
    attachments: record.attachments.map((attachment) => ({
      id: attachment.id,
      fileName: contactText(attachment.fileName, names),
      mediaType: attachment.mediaType,
      sizeBytes: attachment.sizeBytes,
      sha256: attachment.sha256,
      uploadedBy: presentUser(attachment.uploadedBy, names),
      createdAt: attachment.createdAt.toISOString(),
      url: `/api/attachments/${attachment.id}`,
    })),
    history: record.events.map((event) => {
      const from = eventValueInApiSpelling(event.fromValue);
      const to = eventValueInApiSpelling(event.toValue);
      return {
        id: event.id.toString(),
        at: event.at.toISOString(),
        actor: hideName(options.actors.get(event.actor) ?? { id: event.actor, name: null, role: null, partyCode: null }, names),
        type: event.type,
        from: names ? from : maskContactValue(from),
        to: names ? to : maskContactValue(to),
        reason: contactText(event.reason, names),
      };
    }),
  };
}

/**
 * Maps the declarations that reported a deviation, oldest first, the source of the latest one
 * still reporting it, the suggestion waiting for the administration and the field provenance.
 */
function presentOccurrences(record: DeviationDetailRecord, contactVisible: boolean) {
  const occurrences = record.occurrences.map((occurrence) => ({
    declarationId: occurrence.declarationId,
    receivedAt: occurrence.declaration.receivedAt.toISOString(),
    declaredAt: occurrence.seenAt.toISOString(),
    answer: fromDbAnswer(occurrence.answer),
    source: presentSource(occurrence.requirementRow, contactVisible),
    original: occurrence.declarationId === record.declarationId,
    withdrawn: occurrence.withdrawnAt !== null,
  }));
  const latest = record.occurrences.filter((occurrence) => occurrence.withdrawnAt === null).at(-1);
  return {
    occurrences,
    latestSource: latest ? presentSource(latest.requirementRow, contactVisible) : null,
    suggestion: (record.pendingSuggestion ?? null) as DeviationDetail['suggestion'],
    fieldSources: effectiveFieldSources(record),
  };
}

export const DECLARATION_SUMMARY_SELECT = {
  id: true,
  fileName: true,
  mediaType: true,
  sizeBytes: true,
  status: true,
  errorCode: true,
  errorMessage: true,
  receivedAt: true,
  processedAt: true,
  supplierId: true,
  supplier: { select: { code: true, name: true } },
  businessSystem: { select: { id: true, name: true } },
  uploadedById: true,
  uploadedBy: { select: USER_REF_SELECT },
} as const satisfies Prisma.DeclarationSelect;
type DeclarationSummaryRecord = Prisma.DeclarationGetPayload<{ select: typeof DECLARATION_SUMMARY_SELECT }>;

/**
 * Maps a declaration for a list or a detail. The uploader's name is a person's name, so it is
 * shown only where `namesVisible` is set: to the administration in lists, and in a detail to
 * callers who may read the declaration's contact details.
 */
export function presentDeclarationSummary(record: DeclarationSummaryRecord, namesVisible: boolean): z.output<typeof declarationSummarySchema> {
  return {
    id: record.id,
    // A file name may name its sender, as in 'anna@kommun.se 070-1234567.xlsx'.
    fileName: contactText(record.fileName, namesVisible),
    mediaType: record.mediaType,
    sizeBytes: record.sizeBytes,
    status: record.status,
    // A message may quote a cell of the file, which may contain contact details.
    error: record.status === 'failed' ? { code: record.errorCode ?? 'unknown', message: contactText(record.errorMessage ?? '', namesVisible) } : null,
    receivedAt: record.receivedAt.toISOString(),
    processedAt: record.processedAt?.toISOString() ?? null,
    supplier: record.supplier && { ...record.supplier, code: partyCodeText(record.supplier.code, namesVisible) },
    businessSystem: record.businessSystem,
    uploadedBy: record.uploadedBy ? presentUser(record.uploadedBy, namesVisible) : null,
  };
}

export const DECLARATION_DETAIL_SELECT = {
  ...DECLARATION_SUMMARY_SELECT,
  sha256: true,
  cover: true,
  counts: true,
  parseReport: true,
  parserVersion: true,
  ruleSetVersion: true,
} as const satisfies Prisma.DeclarationSelect;
export type DeclarationDetailRecord = Prisma.DeclarationGetPayload<{ select: typeof DECLARATION_DETAIL_SELECT }>;

type DeclarationDetail = z.output<typeof declarationDetailSchema>;

export function presentDeclarationDetail(
  record: DeclarationDetailRecord,
  options: { contactVisible: boolean; deviations: DeclarationDetail['deviations'] },
): DeclarationDetail {
  const cover = record.cover;
  return {
    ...presentDeclarationSummary(record, options.contactVisible),
    sha256: record.sha256,
    cover: cover && {
      supplier: contactText(cover.supplier, options.contactVisible),
      // A sole trader's organisation number is the owner's personal identity number.
      organisationNumber: organisationNumberText(cover.organisationNumber, options.contactVisible),
      system: contactText(cover.system, options.contactVisible),
      version: contactText(cover.version, options.contactVisible),
      municipality: contactText(cover.municipality, options.contactVisible),
      date: cover.date,
      contact: options.contactVisible ? { name: cover.contactName, phone: cover.contactPhone, email: cover.contactEmail } : null,
    },
    contactRestricted: !options.contactVisible,
    requirements: orderedCounts(record.counts as AnswerCounts | null),
    // Warnings quote cells of the file, such as an answer that was not understood, and the cover's organisation number.
    parseReport: (options.contactVisible ? record.parseReport : maskContactValue(record.parseReport, personalNumbersOf(cover))) as Record<string, unknown> | null,
    parserVersion: record.parserVersion,
    ruleSetVersion: record.ruleSetVersion,
    fileUrl: options.contactVisible ? `/api/declarations/${record.id}/file` : null,
    deviations: options.deviations,
  };
}

/** Returns the cover's organisation number in a list when it is a sole trader's, that is, a personal identity number. */
function personalNumbersOf(cover: DeclarationDetailRecord['cover']): string[] {
  const number = cover?.organisationNumber ?? null;
  return number !== null && personalIdentityDigits(number) !== null ? [number] : [];
}

function orderedCounts(counts: AnswerCounts | null) {
  if (!counts) return null;
  const { total, met, notMet, partiallyMet, notApplicable, unanswered } = counts;
  return { total, met, notMet, partiallyMet, notApplicable, unanswered };
}
