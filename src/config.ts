import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root, so that data and rule files resolve the same from any working directory. */
export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .optional()
    .refine(
      (value) => value === undefined || protocols.some((protocol) => value.startsWith(protocol)),
      { message: `must start with ${protocols.join(' or ')}` },
    );

const positiveInteger = (fallback: number) => {
  const error = `must be a whole number above 0, such as the default ${fallback}`;
  return z.coerce.number({ error }).int({ error }).positive({ error }).default(fallback);
};

export const environmentSchema = z.object({
  DATABASE_URL: optionalUrl(['postgres://', 'postgresql://']),
  REDIS_URL: optionalUrl(['redis://', 'rediss://']),
  AVVIK_DATA_DIR: z.string().min(1).default('.avvik-data'),
  AVVIK_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'may hold only letters, digits, - and _')
    .default('avvik-declarations'),
  AVVIK_WORKER_CONCURRENCY: positiveInteger(2),
  AVVIK_MAX_FILE_BYTES: positiveInteger(25 * 1024 * 1024),
  AVVIK_JOB_ATTEMPTS: positiveInteger(5),
  AVVIK_RETRY_DELAY_MS: positiveInteger(2_000),
  AVVIK_RULES_FILE: z.string().min(1).default(path.join(REPOSITORY_ROOT, 'rules', 'ownership.json')),
  AVVIK_PARTIES_FILE: z.string().min(1).default(path.join(REPOSITORY_ROOT, 'data', 'parties.json')),
  AVVIK_FOLLOWUP_FILE: z.string().min(1).default(path.join(REPOSITORY_ROOT, 'config', 'followup.json')),
  AVVIK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AVVIK_LOCK_DURATION_MS: positiveInteger(30_000),
  AVVIK_RATE_LIMIT_PER_MINUTE: positiveInteger(1_200),
}).superRefine((settings, context) => {
  // Workers run in other processes, and an embedded database folder opens in one process only.
  if (settings.REDIS_URL && !settings.DATABASE_URL) {
    context.addIssue({
      code: 'custom',
      path: ['DATABASE_URL'],
      message: 'is required when REDIS_URL is set, because queue workers cannot share the embedded database',
    });
  }
});

export type Config = z.infer<typeof environmentSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads the configuration from an environment, listing every invalid variable in one error.
 * Nothing else in Avvik reads process.env.
 */
export function readConfig(environment: NodeJS.ProcessEnv): Config {
  const result = environmentSchema.safeParse(environment);
  if (result.success) return result.data;

  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.');
    const value = environment[variable];
    return `  ${variable}: ${issue.message} (${value === undefined ? 'not set' : `got ${JSON.stringify(value)}`})`;
  });
  throw new ConfigError(
    `Invalid configuration in the environment:\n${problems.join('\n')}\n` +
      'Fix or unset these variables and run the command again.',
  );
}

let cached: Config | undefined;

/** Returns the process's configuration, reading the environment on the first call only. */
export function config(): Config {
  cached ??= readConfig(process.env);
  return cached;
}

/** Host and port of a Redis URL, without credentials, for log lines and messages. */
export function describeRedisUrl(redisUrl: string): string {
  try {
    const url = new URL(redisUrl);
    return `${url.hostname}:${url.port || '6379'}`;
  } catch {
    return 'redis (unparseable URL)';
  }
}
