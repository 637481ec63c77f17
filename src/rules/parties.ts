/**
 * The reference parties (data providers, the operations party and the administration)
 * with the names and aliases that the rules look for in a declaration.
 */

import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigFileError, describeIssues, formatPath, readJsonFile } from './config-file.ts';
import type { PartyKind } from './model.ts';

/** data/parties.json, resolved from this module's location so that the working directory does not matter. */
export const DEFAULT_PARTIES_PATH = fileURLToPath(new URL('../../data/parties.json', import.meta.url));

const PARTY_KINDS = ['supplier', 'data-provider', 'operations', 'administration'] as const satisfies readonly PartyKind[];
const LABEL = 'parties file';

const nonEmpty = z.string().trim().min(1);

const BaseServiceSchema = z.object({
  code: nonEmpty,
  name: nonEmpty,
  aliases: z.array(nonEmpty).default([]),
});

const PartySchema = z.object({
  code: nonEmpty,
  kind: z.enum(PARTY_KINDS),
  name: nonEmpty,
  aliases: z.array(nonEmpty).default([]),
  baseServices: z.array(BaseServiceSchema).default([]),
});

/** The parties file: codes are unique, and there is exactly one operations party and one administration. */
export const PartiesFileSchema = z
  .object({ parties: z.array(PartySchema).min(1) })
  .superRefine((file, context) => {
    const seen = new Set<string>();

    file.parties.forEach((party, index) => {
      if (seen.has(party.code)) {
        context.addIssue({ code: 'custom', path: ['parties', index, 'code'], message: `duplicate party code '${party.code}'` });
      }
      seen.add(party.code);
    });

    for (const kind of ['operations', 'administration'] as const) {
      const count = file.parties.filter((party) => party.kind === kind).length;
      if (count !== 1) {
        context.addIssue({ code: 'custom', path: ['parties'], message: `expected exactly one party of kind '${kind}', found ${count}` });
      }
    }
  });

export type Party = z.infer<typeof PartySchema>;
export type BaseService = z.infer<typeof BaseServiceSchema>;
/** The reference parties as loadParties returns them. */
export type Parties = readonly Party[];

/** Reads and validates a parties file. Raises ConfigFileError naming the file and each invalid field. */
export function loadParties(file: string = DEFAULT_PARTIES_PATH): Party[] {
  return parseParties(readJsonFile(file, LABEL), file);
}

/** Validates parsed parties data. `file` names the source in error messages. */
export function parseParties(data: unknown, file: string): Party[] {
  const result = PartiesFileSchema.safeParse(data);

  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      ruleId: null,
      field: formatPath(issue.path),
      message: issue.message,
    }));
    throw new ConfigFileError(file, describeIssues(LABEL, file, issues), issues);
  }

  return result.data.parties;
}

/** Which of a party's names a rule looks for. */
export type PartyNames = 'all' | 'party' | 'base-services';

/**
 * Lists the names under which a party can appear: its own name and aliases ('party'), its base
 * services' names and aliases ('base-services'), or both ('all').
 */
export function namesOfParty(party: Party, which: PartyNames = 'all'): string[] {
  const ownNames = which === 'base-services' ? [] : [party.name, ...party.aliases];
  const serviceNames =
    which === 'party' ? [] : party.baseServices.flatMap((service) => [service.name, ...service.aliases]);

  return [...new Set([...ownNames, ...serviceNames])];
}

/** Returns the single party of a kind that the schema requires exactly one of. */
export function partyOfKind(parties: readonly Party[], kind: 'operations' | 'administration'): Party {
  const party = parties.find((candidate) => candidate.kind === kind);

  if (party === undefined) {
    throw new Error(`The parties list has no party of kind '${kind}'. Load it with loadParties, which requires one.`);
  }

  return party;
}
