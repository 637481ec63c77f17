/**
 * Returns the SQLSTATE of a PostgreSQL data exception (class 22, such as 22021 for a NUL
 * character in text) behind a Prisma error, or null for any other error.
 */
export function dataExceptionCode(error: unknown): string | null {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === 'string' && code.startsWith('22') ? code : null;
}
