import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dataExceptionCode, isIntegrityViolation } from './errors.ts';

/** Builds an error of the shape Prisma's driver adapters give for a PostgreSQL error. */
const postgresError = (code: string) => ({ code: 'P2010', meta: { driverAdapterError: { cause: { originalCode: code } } } });

/** Builds the error pg gives when PostgreSQL rejects a statement sent through the pool. */
function pgError(code: string): pg.DatabaseError {
  const error = new pg.DatabaseError('rejected', 0, 'error');
  error.code = code;
  error.severity = 'ERROR';
  return error;
}

describe('PostgreSQL error classes', () => {
  it('treats data exceptions and limits as data', () => {
    expect(dataExceptionCode(postgresError('22021'))).toBe('22021');
    expect(dataExceptionCode(postgresError('54000'))).toBe('54000');
    expect(dataExceptionCode(postgresError('23505'))).toBeNull();
    expect(dataExceptionCode(new Error("Can't reach database server"))).toBeNull();
  });

  it('recognises integrity violations', () => {
    expect(isIntegrityViolation(postgresError('23505'))).toBe(true);
    expect(isIntegrityViolation(postgresError('23503'))).toBe(true);
    expect(isIntegrityViolation(postgresError('40001'))).toBe(false);
    expect(isIntegrityViolation(null)).toBe(false);
  });

  it('reads the code of an error from pg itself', () => {
    expect(isIntegrityViolation(pgError('23503'))).toBe(true);
    expect(dataExceptionCode(pgError('22P05'))).toBe('22P05');
    expect(dataExceptionCode(pgError('40001'))).toBeNull();
    // Node's own errors have codes too, but no severity.
    expect(isIntegrityViolation(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(false);
  });
});
