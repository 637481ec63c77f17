/**
 * The benchmark's own PostgreSQL database and BullMQ queue name, created at start and removed
 * at the end, also when a phase fails.
 */

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export const POSTGRES_ADMIN_URL = process.env.AVVIK_BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.AVVIK_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Databases that the benchmark must never create, write or drop. */
const PROTECTED_DATABASES = new Set(['postgres', 'test', 'root', 'template0', 'template1']);

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function runAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string): Promise<void> {
  if (PROTECTED_DATABASES.has(name)) throw new Error(`The benchmark never creates the shared database ${name}; give it a name of its own.`);
  await runAdmin(`CREATE DATABASE "${name}"`);
}

export async function dropDatabase(name: string): Promise<void> {
  if (PROTECTED_DATABASES.has(name)) throw new Error(`The benchmark never drops the shared database ${name}.`);
  await runAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Deletes every declaration, supplier and business system, so that each run starts from the same state. */
export async function resetDeclarations(client: pg.Client): Promise<void> {
  await client.query('TRUNCATE "Declaration", "BusinessSystem" CASCADE');
  await client.query(`DELETE FROM "Party" WHERE kind = 'supplier'`);
}

/** Removes every Redis key of a BullMQ queue. */
export async function removeQueueKeys(queueName: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `bull:${queueName}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
