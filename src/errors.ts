/**
 * Errors with a stable code for programs and a message for people.
 * A DeclarationFileError means the file itself cannot be read: retrying will not help,
 * so the job fails at once. Every other error is treated as transient and retried.
 */

export const FILE_ERROR_CODES = [
  'empty-file',
  'file-too-large',
  'unsupported-format',
  'legacy-xls',
  'truncated-file',
  'encrypted-workbook',
  'encrypted-pdf',
  'corrupt-file',
  'no-text-layer',
  'no-requirement-table',
  'parser-error',
  'invalid-data',
] as const;

export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

export class DeclarationFileError extends Error {
  override readonly name = 'DeclarationFileError';

  constructor(
    readonly code: FileErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isDeclarationFileError(error: unknown): error is DeclarationFileError {
  return error instanceof DeclarationFileError;
}
