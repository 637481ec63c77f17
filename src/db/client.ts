import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { lockFolder } from './folder-lock.ts';
import { preparedStatementName } from './prepared.ts';
import { pgExecutor, registerSqlExecutor } from './sql.ts';

export type AdapterFactory = PrismaPg | PrismaPGlite;

/** A Prisma client with the driver adapter behind it and a way to release both. */
export interface Database {
  prisma: PrismaClient;
  adapterFactory: AdapterFactory;
  kind: 'postgresql' | 'pglite';
  /** The data's location without credentials, for log lines and messages. */
  location: string;
  /**
   * A driver adapter for the schema engine, and a function that releases it. On PostgreSQL it
   * is a pool of its own, because the schema engine holds a session-level advisory lock for as
   * long as its connection lives, which would block every other process's migrations.
   */
  openMigrationAdapter(): { adapterFactory: AdapterFactory; release(): Promise<void> };
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** How long to wait for another process to release the embedded database; 10 s by default. */
  lockWaitMs?: number;
}

/** Opens PostgreSQL when a URL is given, else the embedded PGlite database in dataDir/pglite. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(path.resolve(options.dataDir, 'pglite'), options.lockWaitMs ?? PGLITE_LOCK_WAIT_MS);
}

function openPostgres(databaseUrl: string): Database {
  // One pool for Prisma and for Avvik's own statements (sql.ts), so both share its connections.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // The pool drops an idle connection that the server closed and opens a new one on the next
  // query. Without a listener, that 'error' event would end the process.
  pool.on('error', () => {});
  const adapterFactory = new PrismaPg(
    pool,
    // The adapter's type wants a name for every statement, but an undefined name is what makes pg send an unnamed one.
    { statementNameGenerator: (query) => preparedStatementName(query.sql) as string },
  );
  const prisma = new PrismaClient({ adapter: adapterFactory });
  registerSqlExecutor(prisma, pgExecutor(pool));
  return {
    prisma,
    adapterFactory,
    kind: 'postgresql',
    location: describePostgresUrl(databaseUrl),
    openMigrationAdapter: () => {
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      return { adapterFactory: new PrismaPg(pool), release: () => pool.end() };
    },
    close: async () => {
      await prisma.$disconnect();
      // The adapter leaves a pool it was given open.
      if (!pool.ended) await pool.end();
    },
  };
}

/** How long a command waits for another process to release the embedded database. */
const PGLITE_LOCK_WAIT_MS = 10_000;

async function openPglite(folder: string, lockWaitMs: number): Promise<Database> {
  fs.mkdirSync(folder, { recursive: true });
  // Loaded here, because PGlite adds about 45 MB to every process that imports it, and a worker
  // on PostgreSQL never needs it.
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  // PGlite has no locking of its own, and two processes writing one folder corrupt it.
  const unlock = await lockFolder(`${folder}.lock`, `The embedded database in ${folder}`, lockWaitMs);
  let pglite: PGlite;
  try {
    pglite = new PGlite(folder);
    await pglite.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    adapterFactory,
    kind: 'pglite',
    location: folder,
    openMigrationAdapter: () => ({ adapterFactory, release: async () => {} }),
    close: async () => {
      await prisma.$disconnect();
      // An embedded data folder left open can hang the next start.
      if (!pglite.closed) await pglite.close();
      unlock();
    },
  };
}

/** Host, port and database of a PostgreSQL URL, without user or password. */
export function describePostgresUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'postgresql (unparseable URL)';
  }
}

/**
 * Builds the message for a PostgreSQL URL whose database does not exist, with the createdb
 * command that creates it. Migrations then create the tables on the next start.
 */
export function missingDatabaseMessage(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  const options = [
    url.hostname ? `-h ${url.hostname}` : null,
    url.port && url.port !== '5432' ? `-p ${url.port}` : null,
    url.username ? `-U ${shellWord(decodeURIComponent(url.username))}` : null,
  ].filter((option) => option !== null);
  const command = ['createdb', ...options, shellWord(name)].join(' ');
  const server = url.hostname ? `${url.hostname}:${url.port || '5432'}` : 'the local PostgreSQL server';
  return (
    `Database ${name} does not exist on ${server}. ` +
    `Create it with \`${command}\`, or set DATABASE_URL to an existing database, and run the command again. ` +
    'Avvik creates its tables itself.'
  );
}

const shellWord = (word: string) => (/^[A-Za-z0-9_.@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
