import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { config } from '../../config.ts';
import { findOverdue } from '../../followup/overdue.ts';
import { loadFollowupSettings } from '../../followup/settings.ts';
import { DEVIATION_STATUSES } from '../../workflow/state-machine.ts';
import { actorOf, todayFor, type ApiDependencies } from '../dependencies.ts';
import { errorResponses, partyKindSchema, statusSchema } from '../schemas.ts';

const followupQuerySchema = z.strictObject({
  party: z.string().trim().min(1).max(100).optional().describe('only the deviations that wait on this party code'),
});

const partyRefSchema = z.object({ code: z.string(), kind: partyKindSchema, name: z.string() });

const overdueDeviationSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    status: statusSchema,
    requirementId: z.string().nullable(),
    supplierCode: z.string().nullable(),
    businessSystem: z.object({ id: z.string(), name: z.string() }).nullable(),
    municipality: z.string().nullable(),
    dueDate: z.string().nullable(),
    waitingOn: z.object({ kind: partyKindSchema, code: z.string() }),
    reason: z.enum(['time-limit', 'due-date']).describe('time-limit: more working days used than allowed; due-date: a will-fix due date has passed'),
    since: z.string().describe('the Swedish date the clock started: the last status change, or the owner change when that came later'),
    limitWorkingDays: z.number().int().nullable(),
    deadline: z.string().describe('the last day within the limit, or the due date'),
    workingDaysUsed: z.number().int().nullable(),
    workingDaysOver: z.number().int(),
    contact: z.object({ name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() }).nullable(),
    contactRestricted: z.boolean(),
  })
  .meta({ id: 'OverdueDeviation' });

const followupReportSchema = z.object({
  today: z.string(),
  total: z.number().int(),
  groups: z.array(z.object({ party: partyRefSchema, items: z.array(overdueDeviationSchema) })),
});

/**
 * Registers GET /api/followup. The time limits are read from AVVIK_FOLLOWUP_FILE when the server
 * starts, so an invalid file stops the start with a message that lists every problem.
 */
export const followupRoutes: FastifyPluginAsyncZod<{ dependencies: ApiDependencies }> = async (app, { dependencies }) => {
  const settings = loadFollowupSettings(config().AVVIK_FOLLOWUP_FILE);

  app.get('/api/followup', {
    schema: {
      tags: ['follow-up'],
      summary: 'List the overdue deviations you may see, grouped per party waited on',
      description: `Time counts in Swedish working days per status (${DEVIATION_STATUSES.join(', ')}); docs/followup.md gives the limits and waiting rules.`,
      querystring: followupQuerySchema,
      response: { 200: followupReportSchema, ...errorResponses(400, 401) },
    },
    handler: (request) =>
      findOverdue(dependencies.prisma, actorOf(request), settings, todayFor(dependencies), { party: request.query.party }),
  });
};
