/** The columns of a deviation export and the mapping from a stored deviation to one row. */
import type { Prisma } from '../generated/prisma/client.ts';
import { contactText, partyCodeText } from '../api/contact-text.ts';
import { CONTACT_FACTS_SELECT, mayReadDeviationContact } from '../api/scope.ts';
import { fromDbAnswer, fromDbArea, fromDbPartyKind } from '../db/enums.ts';
import type { Actor } from '../workflow/actor.ts';
import { toCalendarDate } from '../workflow/dates.ts';
import { DONE_STATUSES, fromDbStatus } from '../workflow/state-machine.ts';

export type Cell = string | number | boolean | null;

/** Column headings, in order; every row has one cell per heading. */
export const EXPORT_COLUMNS = [
  'id',
  'status',
  'requirementId',
  'requirementText',
  'title',
  'answer',
  'reproduction',
  'result',
  'material',
  'missingFields',
  'declarationId',
  'businessSystemId',
  'businessSystem',
  'supplierCode',
  'municipality',
  'proposedArea',
  'proposedPartyKind',
  'proposedPartyCode',
  'proposalConfidence',
  'proposalRuleIds',
  'newRequirement',
  'ownerArea',
  'ownerPartyCode',
  'ownerSetAt',
  'dueDate',
  'overdue',
  'reportedBy',
  'ruleSetVersion',
  'createdAt',
  'updatedAt',
  'contactName',
  'contactPhone',
  'contactEmail',
  'contactRestricted',
] as const;

export const EXPORT_SELECT = {
  id: true,
  status: true,
  requirementId: true,
  requirementRow: { select: { text: true } },
  title: true,
  answer: true,
  reproduction: true,
  result: true,
  material: true,
  missingFields: true,
  declarationId: true,
  businessSystem: { select: { id: true, name: true } },
  municipality: true,
  proposedArea: true,
  proposedPartyKind: true,
  proposedPartyCode: true,
  proposalConfidence: true,
  proposalRuleIds: true,
  newRequirement: true,
  ownerArea: true,
  ownerSetAt: true,
  dueDate: true,
  ruleSetVersion: true,
  createdAt: true,
  updatedAt: true,
  contactName: true,
  contactPhone: true,
  contactEmail: true,
  ...CONTACT_FACTS_SELECT,
  reportedBy: { select: { ...CONTACT_FACTS_SELECT.reportedBy.select, name: true } },
} as const satisfies Prisma.DeviationSelect;
export type ExportRecord = Prisma.DeviationGetPayload<{ select: typeof EXPORT_SELECT }>;

/**
 * Maps a deviation to its cells, in the order of EXPORT_COLUMNS. The contact cells are empty and
 * contactRestricted is true unless scope.ts lets the actor read the contact details.
 */
export function exportRow(record: ExportRecord, actor: Actor, today: string): Cell[] {
  const status = fromDbStatus(record.status);
  const dueDate = toCalendarDate(record.dueDate);
  const contactVisible = mayReadDeviationContact(actor, record);
  const owned = record.ownerArea !== null && record.ownerArea !== 'unassigned' && record.ownerPartyCode !== null;
  return [
    record.id,
    status,
    contactText(record.requirementId, contactVisible),
    contactText(record.requirementRow?.text ?? null, contactVisible),
    contactText(record.title, contactVisible),
    record.answer ? fromDbAnswer(record.answer) : null,
    contactText(record.reproduction, contactVisible),
    contactText(record.result, contactVisible),
    contactText(record.material.join('\n'), contactVisible),
    record.missingFields.join(', '),
    record.declarationId,
    record.businessSystem?.id ?? null,
    record.businessSystem?.name ?? null,
    partyCodeText(record.supplierCode, contactVisible),
    record.municipality,
    fromDbArea(record.proposedArea),
    fromDbPartyKind(record.proposedPartyKind),
    partyCodeText(record.proposedPartyCode, contactVisible),
    record.proposalConfidence,
    record.proposalRuleIds.join(', '),
    record.newRequirement,
    owned ? fromDbArea(record.ownerArea!) : null,
    owned ? partyCodeText(record.ownerPartyCode, contactVisible) : null,
    owned ? (record.ownerSetAt?.toISOString() ?? null) : null,
    dueDate,
    dueDate !== null && dueDate < today && !DONE_STATUSES.includes(status),
    record.reportedBy?.name ?? null,
    record.ruleSetVersion,
    record.createdAt.toISOString(),
    record.updatedAt.toISOString(),
    contactVisible ? record.contactName : null,
    contactVisible ? record.contactPhone : null,
    contactVisible ? record.contactEmail : null,
    !contactVisible,
  ];
}
