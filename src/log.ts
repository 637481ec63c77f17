import { pino, type DestinationStream, type Logger } from 'pino';
import { maskContactValue } from './api/contact-text.ts';

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

/**
 * Masks contact details in every string of a log line, as the API masks them for restricted
 * callers. The line is parsed first, because masking its JSON text could take the letter of an
 * escape such as `\n` and leave invalid JSON.
 */
function maskLine(line: string): string {
  return `${JSON.stringify(maskContactValue(JSON.parse(line)))}\n`;
}

/**
 * Creates the structured JSON logger. Logs go to stderr, or to `destination` when given, so that
 * stdout stays free for --json. Contact details in texts outside the fields above, such as a file
 * name or an error message that quotes a cell, are masked (maskLine).
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ dest: 2, sync: true })): Logger {
  return pino(
    { level, base: { app: 'avvik' }, redact: { paths: REDACTED_PATHS, remove: true }, hooks: { streamWrite: maskLine } },
    destination,
  );
}

export type { DestinationStream, Logger };
