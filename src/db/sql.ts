/**
 * Avvik's own SQL statements, sent to PostgreSQL through the pg pool that Prisma's adapter also
 * uses. Prisma's raw queries serialise every parameter to one JSON text and parse it back before
 * the driver receives it. The worker's statements carry each table's records as one large JSON
 * parameter, so that round trip doubled their client time and their garbage. On this path they
 * go to pg as they are. Model queries and everything outside the worker's path stay with Prisma.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { preparedStatementName } from './prepared.ts';

/** One connection's statements, inside or outside a transaction. */
export interface SqlSession {
  query<T>(sql: string, values: readonly unknown[]): Promise<T[]>;
  /**
   * Runs `COPY ... FROM STDIN` with the text that `chunks` gives, in COPY's text format, and
   * returns the number of rows copied. Only sessions on a pg connection have it, not the embedded
   * database's sessions.
   */
  copyFrom?(sql: string, chunks: Iterable<string>): Promise<number>;
}

export interface SqlExecutor extends SqlSession {
  /** Runs `work` in a transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}

/**
 * pg reads `timestamp without time zone` in the process's local zone. Prisma stores DateTime
 * columns as UTC in that type, so they are read as UTC here, as Prisma reads them.
 */
const TIMESTAMP_WITHOUT_ZONE = 1114;
const UTC_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMP_WITHOUT_ZONE) return (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

async function run<T>(client: pg.Pool | pg.PoolClient, sql: string, values: readonly unknown[]): Promise<T[]> {
  const result = await client.query({ text: sql, values: values as unknown[], name: preparedStatementName(sql), types: UTC_TYPES });
  return result.rows as T[];
}

/** Streams the chunks into COPY. A chunk is built only when the connection has taken the previous ones. */
async function copy(client: pg.PoolClient, sql: string, chunks: Iterable<string>): Promise<number> {
  const stream = client.query(copyFromStdin(sql));
  await pipeline(Readable.from(chunks, { objectMode: false }), stream);
  return stream.rowCount;
}

export function pgExecutor(pool: pg.Pool): SqlExecutor {
  return {
    query: (sql, values) => run(pool, sql, values),
    async transaction(work) {
      const client = await pool.connect();
      let broken: unknown;
      // pg's pool listens for errors only on idle clients. A connection lost while this one is
      // checked out, such as a socket write failing in the middle of a COPY, is emitted as an
      // 'error' event on the client, which would end the process without a listener. The
      // statement that was running fails with the same error, so the transaction rolls back.
      const onError = (error: Error) => (broken = error);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work({ query: (sql, values) => run(client, sql, values), copyFrom: (sql, chunks) => copy(client, sql, chunks) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
        throw error;
      } finally {
        // A connection that failed, or whose rollback failed, is in an unknown state, so the pool
        // closes it. It keeps the listener, because its socket may still report the failure.
        if (broken === undefined) client.removeListener('error', onError);
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
  };
}

/** Builds the same interface over Prisma's raw queries, for the embedded database, which has no pg pool. */
export function prismaExecutor(prisma: PrismaClient): SqlExecutor {
  return {
    ...prismaSession(prisma),
    transaction: (work) => prisma.$transaction((tx) => work(prismaSession(tx)), { timeout: 120_000, maxWait: 30_000 }),
  };
}

const executors = new WeakMap<PrismaClient, SqlExecutor>();

/** Makes `sqlOf(prisma)` use the executor. openDatabase registers its pool for each client it opens. */
export function registerSqlExecutor(prisma: PrismaClient, executor: SqlExecutor): void {
  executors.set(prisma, executor);
}

/** Returns the executor for a client's database: its pg pool on PostgreSQL, else Prisma's raw queries. */
export function sqlOf(prisma: PrismaClient): SqlExecutor {
  let executor = executors.get(prisma);
  if (!executor) executors.set(prisma, (executor = prismaExecutor(prisma)));
  return executor;
}

/** A session over Prisma's raw queries, for a caller inside a Prisma transaction. */
export const prismaSession = (db: Pick<PrismaClient, '$queryRawUnsafe'>): SqlSession => ({
  query: (sql, values) => db.$queryRawUnsafe(sql, ...values),
});
