/**
 * The zod schemas of every request and response. Fastify validates requests against them,
 * encodes responses through them (so a field missing here never reaches a client), and the
 * OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { OWNER_AREAS } from '../workflow/ownership.ts';
import { nonexistentDateMessage } from '../workflow/dates.ts';
import { DEVIATION_STATUSES } from '../workflow/state-machine.ts';
import { ROLES } from '../workflow/actor.ts';

/** Builds a zod error message: "is required" for a missing value, "must be …" for a wrong one. */
const messageFor = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);

const requiredText = (maxLength: number) =>
  z
    .string({ error: messageFor('a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`);

const optionalText = (maxLength: number) => requiredText(maxLength).nullish();

const enumOf = <const Values extends readonly [string, ...string[]]>(values: Values) =>
  z.enum(values, { error: messageFor(`one of ${values.join(', ')}`) });

const uuid = () => z.guid({ error: messageFor('a UUID') });

/** Builds the message for an invalid calendar date, naming the value and, for a day such as 2027-02-30, why it does not exist. */
const calendarDateMessage = (issue: { input?: unknown }) =>
  (typeof issue.input === 'string' ? nonexistentDateMessage(issue.input) : null) ?? `must be a date as YYYY-MM-DD, not ${JSON.stringify(issue.input)}`;

export const statusSchema = enumOf(DEVIATION_STATUSES);
export const areaSchema = enumOf(['business-system', 'base-service', 'ssbtek', 'unassigned']);
export const partyKindSchema = enumOf(['supplier', 'data-provider', 'operations', 'administration']);
export const roleSchema = enumOf(ROLES);
const declarationStatusSchema = z.enum(['queued', 'processing', 'parsed', 'failed']);

// Requests.

/** Orders of the deviation list. A leading minus sorts descending. */
export const DEVIATION_SORTS = ['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'dueDate', '-dueDate'] as const;
export type DeviationSort = (typeof DEVIATION_SORTS)[number];

export const idParamsSchema = z.object({ id: uuid() });

export const deviationListQuerySchema = z.strictObject({
  limit: z.coerce.number({ error: messageFor('a whole number') }).int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
  offset: z.coerce.number({ error: messageFor('a whole number') }).int('must be a whole number').min(0, 'must be 0 or more').default(0),
  status: z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(z.array(statusSchema).min(1))
    .optional()
    .describe(`one status or several separated by commas: ${DEVIATION_STATUSES.join(', ')}`),
  area: areaSchema.optional().describe("the owner's area, or the proposed area while no owner is set"),
  party: requiredText(100).optional().describe("the owner's party code, or the proposed party code while no owner is set"),
  declaration: uuid().optional(),
  system: uuid().optional().describe('business system id'),
  municipality: requiredText(200).optional().describe('municipality name, case-insensitive'),
  overdue: enumOf(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('true: the due date has passed and the status is neither fixed nor closed'),
  q: requiredText(200).optional().describe('free text, case-insensitive, in the title, the reason and the requirement id, with contact details masked where you may not read them'),
  sort: enumOf(DEVIATION_SORTS)
    .optional()
    .describe('createdAt: oldest first; -createdAt: newest first (the default); the same for updatedAt and dueDate, with no due date last'),
});
export type DeviationListQuery = z.output<typeof deviationListQuerySchema>;

export const declarationListQuerySchema = z.strictObject({
  limit: deviationListQuerySchema.shape.limit,
  offset: deviationListQuerySchema.shape.offset,
});

/** The body is optional: Fastify passes null for a POST without one. */
export const confirmBodySchema = z.strictObject({ reason: optionalText(2000) }).nullish();

export const assignBodySchema = z.strictObject({
  area: enumOf(OWNER_AREAS),
  partyCode: requiredText(100),
  reason: requiredText(2000),
});

export const transitionBodySchema = z.strictObject({
  status: statusSchema,
  reason: requiredText(2000),
  dueDate: z.iso.date({ error: calendarDateMessage }).nullish(),
});

export const commentBodySchema = z.strictObject({ body: requiredText(10_000) });

export const reportBodySchema = z.strictObject({
  title: requiredText(300),
  reproduction: requiredText(10_000).describe('the reproduction steps, or the reason the requirement cannot be met'),
  result: requiredText(10_000).describe('the result or situation reached'),
  material: z
    .array(requiredText(1000), { error: messageFor('a list of strings') })
    .min(1, 'must name at least one screenshot, log or other material')
    .max(50, 'must have at most 50 entries')
    .describe('descriptions of or references to screenshots, logs and other material; files are added with POST /api/deviations/{id}/attachments'),
  contactName: requiredText(200),
  contactPhone: requiredText(40).regex(/^\+?[0-9][0-9 ()-]{4,38}$/, 'must be a phone number of digits, spaces, +, - and parentheses'),
  contactEmail: z.email({ error: messageFor('an e-mail address') }).max(254, 'must be at most 254 characters'),
  requirementId: optionalText(100),
  area: optionalText(200).describe('the area in your words, for example Bastjänster; the ownership rules read it'),
  systemId: uuid().nullish().describe('business system id; a municipality user always reports on its own system'),
  municipality: optionalText(200),
});
export type ReportBody = z.output<typeof reportBodySchema>;

// Responses.

export const errorSchema = z
  .object({
    statusCode: z.number().int(),
    code: z.string().describe('stable, kebab-case'),
    message: z.string(),
    requestId: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    allowed: z.array(z.string()).optional().describe('on invalid-transition: the statuses allowed from the current one'),
  })
  .meta({ id: 'Error' });

export const userRefSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  role: roleSchema.nullable(),
  partyCode: z.string().nullable(),
});

const proposalSchema = z.object({
  area: areaSchema,
  partyKind: partyKindSchema,
  partyCode: z.string().nullable(),
  ruleIds: z.array(z.string()),
  confidence: z.number(),
  newRequirement: z.boolean(),
});

const proposalDetailSchema = proposalSchema.extend({
  evidence: z.array(z.object({ ruleId: z.string(), field: z.string(), match: z.string(), weight: z.number() })),
  candidates: z.array(
    z.object({ area: z.string(), partyKind: z.string(), partyCode: z.string().nullable(), score: z.number(), ruleIds: z.array(z.string()) }),
  ),
});

const ownerSchema = z
  .object({
    area: areaSchema,
    partyKind: partyKindSchema,
    partyCode: z.string(),
    setBy: z.string().nullable().describe('id of the user who confirmed or assigned the owner'),
    setAt: z.string().nullable(),
  })
  .nullable();

const systemRefSchema = z.object({ id: z.string(), name: z.string() }).nullable();

export const deviationSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    status: statusSchema,
    requirementId: z.string().nullable(),
    answer: z.enum(['not-met', 'partially-met']).nullable(),
    declarationId: z.string().nullable(),
    businessSystem: systemRefSchema,
    supplierCode: z.string().nullable(),
    municipality: z.string().nullable(),
    proposal: proposalSchema,
    owner: ownerSchema,
    dueDate: z.string().nullable(),
    overdue: z.boolean(),
    reportedBy: userRefSchema.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'DeviationSummary' });

const contactSchema = z.object({ name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() });

const sourceSchema = z.union([z.object({ sheet: z.string(), row: z.number() }), z.object({ page: z.number(), line: z.number() })]).nullable();

export const deviationDetailSchema = deviationSummarySchema
  .extend({
    proposal: proposalDetailSchema,
    reproduction: z.string().nullable(),
    result: z.string().nullable(),
    material: z.array(z.string()),
    missingFields: z.array(z.string()),
    contact: contactSchema.nullable().describe('null when contactRestricted is true'),
    contactRestricted: z.boolean().describe('true when the caller is neither the administration nor the reporting or owning party'),
    source: sourceSchema.describe("the original source: the row of the first declaration that reported the deviation"),
    occurrences: z
      .array(
        z.object({
          declarationId: z.string(),
          receivedAt: z.string(),
          declaredAt: z.string().describe("the declaration's own date when its cover gives one, else the time it was received"),
          answer: z.string(),
          source: sourceSchema,
          original: z.boolean().describe('true for the declaration the deviation was created from'),
          withdrawn: z.boolean().describe('true when a re-processing no longer finds the requirement unmet in this declaration'),
        }),
      )
      .describe('every declaration that reported the deviation, oldest first'),
    latestSource: sourceSchema.describe('the row of the latest declaration that still reports the deviation'),
    suggestion: z
      .object({
        kind: z.enum(['fixed', 'reopen', 'vanished']),
        declarationId: z.string(),
        declaredAt: z.string(),
        at: z.string(),
      })
      .nullable()
      .describe('a change that a declaration proposes to the administration; the status itself is never changed by it'),
    fieldSources: z
      .record(z.string(), z.enum(['system', 'person']))
      .describe('for each editable field, whether the system or a person set it last'),
    parserVersion: z.string().nullable(),
    ruleSetVersion: z.string(),
    allowedTransitions: z.array(statusSchema),
    comments: z.array(z.object({ id: z.string(), author: userRefSchema, body: z.string(), createdAt: z.string() })),
    attachments: z.array(
      z.object({
        id: z.string(),
        fileName: z.string(),
        mediaType: z.string(),
        sizeBytes: z.number(),
        sha256: z.string(),
        uploadedBy: userRefSchema,
        createdAt: z.string(),
        url: z.string(),
      }),
    ),
    history: z.array(
      z.object({
        id: z.string(),
        at: z.string(),
        actor: userRefSchema.describe("the user who made the change; id 'system' for the processing pipeline"),
        type: z.string(),
        from: z.unknown(),
        to: z.unknown(),
        reason: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'Deviation' });

export const deviationListSchema = z.object({
  items: z.array(deviationSummarySchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

const countsSchema = z.object({
  total: z.number(),
  met: z.number(),
  notMet: z.number(),
  partiallyMet: z.number(),
  notApplicable: z.number(),
  unanswered: z.number(),
});

export const declarationSummarySchema = z
  .object({
    id: z.string(),
    fileName: z.string(),
    mediaType: z.string(),
    sizeBytes: z.number(),
    status: declarationStatusSchema,
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    receivedAt: z.string(),
    processedAt: z.string().nullable(),
    supplier: z.object({ code: z.string(), name: z.string() }).nullable(),
    businessSystem: systemRefSchema,
    uploadedBy: userRefSchema.nullable(),
  })
  .meta({ id: 'DeclarationSummary' });

export const declarationDetailSchema = declarationSummarySchema
  .extend({
    sha256: z.string(),
    cover: z
      .object({
        supplier: z.string().nullable(),
        organisationNumber: z.string().nullable(),
        system: z.string().nullable(),
        version: z.string().nullable(),
        municipality: z.string().nullable(),
        date: z.string().nullable(),
        contact: contactSchema.nullable().describe('null when contactRestricted is true'),
      })
      .nullable(),
    contactRestricted: z.boolean(),
    requirements: countsSchema.nullable().describe('requirement counts per answer'),
    parseReport: z.record(z.string(), z.unknown()).nullable(),
    parserVersion: z.string().nullable(),
    ruleSetVersion: z.string().nullable(),
    fileUrl: z.string().nullable().describe('null when the caller may not download the original, which holds contact details'),
    deviations: z.array(deviationSummarySchema).describe('only the deviations the caller may see'),
  })
  .meta({ id: 'Declaration' });

export const declarationListSchema = z.object({
  items: z.array(declarationSummarySchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const acceptedUploadSchema = z.object({
  id: z.string(),
  status: declarationStatusSchema,
  created: z.boolean().describe('false when the same file was uploaded before; its declaration is returned'),
});

export const createdSchema = z.object({ id: z.string() });

const requirementRowSchema = z.object({
  position: z.number().int().describe('0-based order of the row in the declaration'),
  requirementId: z.string().nullable(),
  areaHint: z.string().nullable(),
  text: z.string(),
  answer: z.string(),
  answerRaw: z.string().nullable(),
  comment: z.string().nullable(),
  source: sourceSchema,
  isSource: z.boolean().describe("true for the deviation's own row"),
});

export const deviationContextQuerySchema = z.strictObject({
  around: z.coerce
    .number({ error: messageFor('a whole number') })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(10, 'must be at most 10')
    .default(3)
    .describe('rows before and after the source row'),
});

export const deviationContextSchema = z
  .object({
    deviationId: z.string(),
    declarationId: z.string().nullable(),
    fileName: z.string().nullable(),
    source: sourceSchema,
    neighboursRestricted: z
      .boolean()
      .describe('true when the caller may see the deviation but not its declaration, so only the source row is returned'),
    rows: z.array(requirementRowSchema).describe('in document order; empty for a deviation entered directly'),
  })
  .meta({ id: 'DeviationContext' });

const countEntrySchema = z.object({ key: z.string(), count: z.number().int() });

export const statsQuerySchema = z.strictObject({
  weeks: z.coerce
    .number({ error: messageFor('a whole number') })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(104, 'must be at most 104')
    .default(12)
    .describe('how many ISO weeks, up to and including the current one, the weekly series covers'),
  triageLimit: z.coerce
    .number({ error: messageFor('a whole number') })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(260, 'must be at most 260')
    .optional()
    .describe(
      'working days a new deviation may wait for triage; by default the administration\'s limit for new in the follow-up configuration, or 5 when it sets none',
    ),
});

export const statsSchema = z
  .object({
    total: z.number().int(),
    byStatus: z.array(countEntrySchema),
    byArea: z.array(countEntrySchema).describe("the owner's area, or the proposed area while no owner is set"),
    byParty: z.array(countEntrySchema).describe("the owner's party code, or the proposed one; 'none' when neither names a party"),
    triage: z.object({
      limitWorkingDays: z.number().int(),
      waitingCount: z.number().int().describe('deviations with status new that have waited longer than the limit'),
      oldest: z.array(deviationSummarySchema.extend({ workingDaysWaiting: z.number().int() })).describe('up to 20, oldest first'),
    }),
    weekly: z.array(
      z.object({
        week: z.string().describe('ISO week, YYYY-Www'),
        start: z.string().describe('the Monday, YYYY-MM-DD'),
        opened: z.number().int(),
        closed: z.number().int().describe('moves to status closed in that week'),
      }),
    ),
  })
  .meta({ id: 'Stats' });

export const currentUserSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    partyCode: z.string().nullable(),
    businessSystem: z.object({ id: z.string(), name: z.string() }).nullable(),
    municipality: z.string().nullable(),
  })
  .meta({ id: 'CurrentUser' });

export const referencePartiesSchema = z.object({
  items: z.array(z.object({ code: z.string(), kind: partyKindSchema, name: z.string() })),
});

/** Maps each error status a route can return to the error schema, for the route's response schemas. */
export function errorResponses<const Codes extends readonly number[]>(...codes: Codes) {
  return Object.fromEntries(codes.map((code) => [code, errorSchema])) as Record<Codes[number], typeof errorSchema>;
}
