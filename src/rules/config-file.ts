/** Reading of the JSON configuration files that the rules engine depends on. */

import { readFileSync } from 'node:fs';

/** One problem found in a configuration file. */
export interface ConfigIssue {
  /** The rule that the problem is in, or null for a problem outside the rules. */
  ruleId: string | null;
  /** The dotted path of the invalid field, relative to the rule when ruleId is set. */
  field: string;
  message: string;
}

/** Raised when a configuration file is missing, is not JSON or does not match its schema. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';

  constructor(
    readonly file: string,
    message: string,
    readonly issues: readonly ConfigIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Reads and parses a JSON file. Raises ConfigFileError when it cannot be read or parsed. */
export function readJsonFile(file: string, label: string): unknown {
  let text: string;

  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigFileError(file, `Cannot read ${label} ${file}: ${reason}.`, [], { cause: error });
  }

  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = `${label} ${file} is not valid JSON: ${(error as Error).message}.`;
    throw new ConfigFileError(file, capitalise(message), [], { cause: error });
  }
}

/** Formats a zod issue path such as ['rules', 2, 'vote', 'weight'] as "rules[2].vote.weight". */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';

  for (const key of path) {
    if (typeof key === 'number') {
      text += `[${key}]`;
    } else {
      text += text === '' ? String(key) : `.${String(key)}`;
    }
  }

  return text === '' ? '(top level)' : text;
}

/** Builds the message that lists every issue, one a line, under a heading that names the file. */
export function describeIssues(label: string, file: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((issue) => {
    const where = issue.ruleId === null ? `field '${issue.field}'` : `rule '${issue.ruleId}', field '${issue.field}'`;
    return `  ${where}: ${issue.message}`;
  });

  return [`${capitalise(label)} ${file} is invalid:`, ...lines].join('\n');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
