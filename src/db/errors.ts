/**
 * Returns the SQLSTATE that PostgreSQL gave for a failure, or null when there is none. The error
 * is either Prisma's, which keeps the code in its driver adapter error, or pg's own, from a
 * statement sent through the pool directly (sql.ts), which has the code and a severity.
 */
export function sqlStateOf(error: unknown): string | null {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  if (typeof code === 'string') return code;
  const pgError = error as { code?: unknown; severity?: unknown } | null;
  return typeof pgError?.code === 'string' && /^[0-9A-Z]{5}$/.test(pgError.code) && typeof pgError.severity === 'string' ? pgError.code : null;
}

/**
 * Returns the SQLSTATE behind an error when PostgreSQL rejected a value itself. That is a
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

/**
 * True when PostgreSQL rejected the connection because the database in the URL does not exist:
 * SQLSTATE 3D000 from pg, or P1003 from Prisma.
 */
export function isMissingDatabase(error: unknown): boolean {
  return sqlStateOf(error) === '3D000' || (error as { code?: unknown } | null)?.code === 'P1003';
}
