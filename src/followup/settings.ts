/**
 * The follow-up configuration file (config/followup.json by default, AVVIK_FOLLOWUP_FILE to
 * change it): time limits in Swedish working days per status and per kind of party waited on.
 */
import { z } from 'zod';
import { ConfigFileError, describeIssues, formatPath, readJsonFile } from '../rules/config-file.ts';
import type { PartyKind } from '../rules/model.ts';
import type { DeviationStatus } from '../workflow/state-machine.ts';
import { partyKindsWaitedOnIn, TIMED_STATUSES, WAITING_RULES } from './waiting.ts';

const LABEL = 'follow-up configuration';

/** Working days allowed per party kind; a kind left out has no limit in that status. */
export type PartyLimits = Partial<Record<PartyKind, number>>;

export interface FollowupSettings {
  /** Limits per status; a status left out has no working-day limit. */
  limits: Partial<Record<DeviationStatus, PartyLimits>>;
}

const workingDays = z
  .number()
  .int('must be a whole number of working days')
  .min(1, 'must be at least 1 working day')
  .max(260, 'must be at most 260 working days, about one year');

function limitsSchemaFor(status: DeviationStatus) {
  const kinds = partyKindsWaitedOnIn(status);
  return z.strictObject(Object.fromEntries(kinds.map((kind) => [kind, workingDays.optional()])));
}

const settingsSchema = z.strictObject({
  limits: z.record(z.string(), z.unknown()).superRefine((limits, context) => {
    for (const [status, value] of Object.entries(limits)) {
      const rule = WAITING_RULES[status as DeviationStatus];
      if (!rule) {
        context.addIssue({ code: 'custom', path: [status], message: `is not a status; statuses with a limit are ${TIMED_STATUSES.join(', ')}` });
        continue;
      }
      if (rule === 'due-date' || rule === 'paused') {
        const reason = rule === 'due-date' ? 'its due date decides when it is overdue' : 'nobody is waited on in it, so no time counts';
        context.addIssue({ code: 'custom', path: [status], message: `cannot have a limit, because ${reason}` });
        continue;
      }
      const parsed = limitsSchemaFor(status as DeviationStatus).safeParse(value);
      if (parsed.success) continue;
      for (const issue of parsed.error.issues) {
        const message = issue.code === 'unrecognized_keys'
          ? `${issue.keys.join(', ')} cannot be waited on in ${status}; allowed: ${partyKindsWaitedOnIn(status as DeviationStatus).join(', ')}`
          : issue.message;
        context.addIssue({ code: 'custom', path: [status, ...issue.path], message });
      }
    }
  }),
});

/** Validates follow-up settings given as a parsed JSON value. Throws ConfigFileError that lists every problem. */
export function parseFollowupSettings(value: unknown, file: string): FollowupSettings {
  const result = settingsSchema.safeParse(value);
  if (result.success) return result.data as FollowupSettings;
  const issues = result.error.issues.map((issue) => ({ ruleId: null, field: formatPath(issue.path), message: issue.message }));
  throw new ConfigFileError(file, describeIssues(LABEL, file, issues), issues);
}

/** Reads and validates the follow-up configuration file. Throws ConfigFileError that lists every problem. */
export function loadFollowupSettings(file: string): FollowupSettings {
  return parseFollowupSettings(readJsonFile(file, LABEL), file);
}

/** Returns the limit in working days for a status and party kind, or null when none is configured. */
export function limitFor(settings: FollowupSettings, status: DeviationStatus, kind: PartyKind): number | null {
  return settings.limits[status]?.[kind] ?? null;
}
