// Real PostgreSQL and Redis for integration tests: each test file gets its own database
// and queue name, and removes both when it ends.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { seedReferenceParties } from '../../src/db/seed.ts';
import { loadParties } from '../../src/rules/parties.ts';

export const POSTGRES_ADMIN_URL = process.env.AVVIK_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.AVVIK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  url: string;
  database: Database;
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database, by default with every migration applied and the parties seeded. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = uniqueName('avvik_test');
  await runAdmin(`CREATE DATABASE "${name}"`);
  const url = withDatabase(POSTGRES_ADMIN_URL, name);
  const database = await openDatabase({ databaseUrl: url, dataDir: '' });
  const drop = async () => {
    await database.close();
    await runAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
  try {
    if (options.migrate ?? true) {
      await applyMigrations(database);
      await seedReferenceParties(database.prisma, loadParties());
    }
  } catch (error) {
    // The caller gets no handle to drop it with, so a failed set-up must not leave the database behind.
    await drop();
    throw error;
  }
  return { url, database, drop };
}

async function runAdmin(sql: string) {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Removes every key of a BullMQ queue from Redis. */
export async function removeQueueKeys(queueName: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `bull:${queueName}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
