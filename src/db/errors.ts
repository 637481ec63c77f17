/** Returns the SQLSTATE that PostgreSQL gave for the failure behind a Prisma error, or null when there is none. */
export function sqlStateOf(error: unknown): string | null {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === 'string' ? code : null;
}

/**
 * Returns the SQLSTATE behind a Prisma error when PostgreSQL rejected a value itself. That is a
 * data exception (class 22, such as 22021 for a NUL character in text) or a value over a limit
 * (54000, such as an index entry too large). Returns null for any other error.
 */
export function dataExceptionCode(error: unknown): string | null {
  const code = sqlStateOf(error);
  return code?.startsWith('22') || code === '54000' ? code : null;
}

/** True for a unique or foreign-key violation (class 23), which a concurrent write can cause. */
export function isIntegrityViolation(error: unknown): boolean {
  return sqlStateOf(error)?.startsWith('23') ?? false;
}
