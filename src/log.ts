import { pino, type Logger } from 'pino';

/**
 * Fields that may hold contact details. pino removes them from every log line,
 * whatever object they sit in, so that personal data never reaches a log.
 */
const REDACTED_PATHS = [
  'contact',
  '*.contact',
  'contactName',
  'contactPhone',
  'contactEmail',
  '*.contactName',
  '*.contactPhone',
  '*.contactEmail',
  'email',
  'phone',
  '*.email',
  '*.phone',
];

/** Creates the structured JSON logger. Logs go to stderr so that stdout stays free for --json. */
export function createLogger(level: string): Logger {
  return pino(
    { level, base: { app: 'avvik' }, redact: { paths: REDACTED_PATHS, remove: true } },
    pino.destination({ dest: 2, sync: true }),
  );
}

export type { Logger };
