/**
 * Deviations entered directly, outside a declaration. Most come from the administration, but
 * any signed-in party may report one about its own system or services. They enter as new, with
 * an owner proposed by the same rules as deviations read from declarations.
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { proposalColumns } from '../db/enums.ts';
import { proposeOwner } from '../rules/engine.ts';
import type { Party } from '../rules/parties.ts';
import type { RuleSet } from '../rules/ruleset.ts';
import type { Actor } from './actor.ts';
import { WorkflowError } from './errors.ts';
import { appendEvent } from './events.ts';
import { reportedFieldSources } from './provenance.ts';

export interface DirectReport {
  title: string;
  /** The reproduction steps, or the reason the requirement cannot be met. */
  reproduction: string;
  /** The result or situation reached. */
  result: string;
  /** Descriptions of, or references to, screenshots, logs and other material. */
  material: string[];
  contact: { name: string; phone: string; email: string };
  requirementId?: string | null;
  /** The area in the reporter's words (for example "Bastjänster"); the rules read it as the area hint. */
  area?: string | null;
  systemId?: string | null;
  municipality?: string | null;
}

export interface ReportContext {
  prisma: PrismaClient;
  ruleSet: RuleSet;
  parties: readonly Party[];
}

interface Placement {
  businessSystemId: string | null;
  supplierCode: string | null;
  municipality: string | null;
}

/** Stores a directly entered deviation with status new and its created event; returns its id. */
export async function reportDeviation(context: ReportContext, actor: Actor, report: DirectReport): Promise<string> {
  const placement = await placeReport(context.prisma, actor, report);
  const proposal = proposeOwner(
    {
      requirementId: report.requirementId ?? null,
      areaHint: report.area ?? null,
      sheet: null,
      text: `${report.title}\n${report.result}`,
      comment: report.reproduction,
      supplierCode: placement.supplierCode,
    },
    context.ruleSet,
    context.parties,
  );

  return context.prisma.$transaction(async (tx) => {
    const deviation = await tx.deviation.create({
      data: {
        ...placement,
        requirementId: report.requirementId ?? null,
        title: report.title,
        reproduction: report.reproduction,
        result: report.result,
        material: report.material,
        contactName: report.contact.name,
        contactPhone: report.contact.phone,
        contactEmail: report.contact.email,
        missingFields: [],
        ...proposalColumns(proposal),
        reportedById: actor.userId,
        fieldSources: reportedFieldSources(),
      },
      select: { id: true },
    });
    await appendEvent(tx, {
      deviationId: deviation.id,
      actor: actor.userId,
      type: 'created',
      fromValue: null,
      toValue: {
        status: 'new',
        source: 'direct-entry',
        proposal: { area: proposal.area, partyKind: proposal.partyKind, partyCode: proposal.partyCode, ruleIds: proposal.ruleIds, confidence: proposal.confidence },
        ruleSetVersion: proposal.ruleSetVersion,
      },
      reason: 'Rapporterad direkt',
    });
    return deviation.id;
  });
}

/**
 * Decides which business system, supplier and municipality a report concerns. A municipality's
 * user always reports on its own system and municipality, and a supplier only on its own systems,
 * because these fields decide who else sees the deviation.
 */
async function placeReport(prisma: PrismaClient, actor: Actor, report: DirectReport): Promise<Placement> {
  const municipality = report.municipality?.trim() || null;
  if (actor.role === 'municipality') {
    const own = actor.businessSystem!;
    const problems: { field: string; message: string }[] = [];
    if (report.systemId && report.systemId !== own.id) problems.push({ field: 'systemId', message: `must be your business system ${own.id} or left out` });
    if (municipality && municipality.toLowerCase() !== actor.municipality!.toLowerCase()) {
      problems.push({ field: 'municipality', message: `must be your municipality ${actor.municipality} or left out` });
    }
    if (problems.length > 0) throw invalidPlacement(problems);
    return { businessSystemId: own.id, supplierCode: own.supplierCode, municipality: actor.municipality };
  }

  if (!report.systemId) {
    return { businessSystemId: null, supplierCode: actor.role === 'supplier' ? actor.party!.code : null, municipality };
  }
  if (actor.role === 'data-provider' || actor.role === 'operations') {
    throw invalidPlacement([{ field: 'systemId', message: 'can be set only by suppliers, municipality users and the administration' }]);
  }

  const system = await prisma.businessSystem.findUnique({
    where: { id: report.systemId },
    select: { id: true, supplier: { select: { code: true } } },
  });
  // A supplier gets the same error for another supplier's system as for a missing one.
  if (!system || (actor.role === 'supplier' && system.supplier.code !== actor.party!.code)) {
    throw invalidPlacement([{ field: 'systemId', message: 'is not a business system you can report on' }]);
  }
  return { businessSystemId: system.id, supplierCode: system.supplier.code, municipality };
}

function invalidPlacement(fields: { field: string; message: string }[]): WorkflowError {
  const list = fields.map((problem) => `${problem.field} ${problem.message}`).join('; ');
  return new WorkflowError('invalid', 'invalid-request', `The deviation was not stored: ${list}.`, { fields });
}
