import fs from 'node:fs';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { REPOSITORY_ROOT } from '../config.ts';
import type { Database } from './client.ts';
import { startSchemaEngine } from './schema-engine.ts';
import { isMissingDatabase } from './errors.ts';
import { sqlOf } from './sql.ts';

export const SCHEMA_PATH = path.join(REPOSITORY_ROOT, 'prisma', 'schema.prisma');
export const MIGRATIONS_DIR = path.join(REPOSITORY_ROOT, 'prisma', 'migrations');
const LOCKFILE = 'migration_lock.toml';

/** Reads prisma/migrations in the shape Prisma Migrate's schema engine expects. */
export function readMigrationList(baseDir = MIGRATIONS_DIR): MigrationList {
  const lockfilePath = path.join(baseDir, LOCKFILE);
  const migrationDirectories = fs.existsSync(baseDir)
    ? fs
        .readdirSync(baseDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
        .map((name) => ({
          path: name,
          migrationFile: {
            path: 'migration.sql',
            content: {
              tag: 'ok' as const,
              value: fs.readFileSync(path.join(baseDir, name, 'migration.sql'), 'utf8'),
            },
          },
        }))
    : [];

  return {
    baseDir,
    lockfile: {
      path: LOCKFILE,
      content: fs.existsSync(lockfilePath) ? fs.readFileSync(lockfilePath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories,
  } as MigrationList;
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/**
 * Applies every pending migration and records it in _prisma_migrations, as
 * `prisma migrate deploy` does. Returns the names of the migrations applied now.
 */
export async function applyMigrations(
  database: Database,
  log: (message: string) => void = () => {},
): Promise<string[]> {
  if ((await pendingMigrationNames(database)).length === 0) return [];
  const adapter = database.openMigrationAdapter();
  try {
    const engine = await startSchemaEngine(SCHEMA_PATH, adapter.adapterFactory, log);
    try {
      const result = await engine.applyMigrations({
        migrationsList: readMigrationList(),
        filters: NO_FILTERS,
      });
      return result.appliedMigrationNames;
    } finally {
      engine.free();
    }
  } finally {
    await adapter.release();
  }
}

/**
 * Names of committed migrations that the database has not finished applying. Reading
 * _prisma_migrations directly spares the schema engine's start when nothing is pending.
 */
export async function pendingMigrationNames(database: Database): Promise<string[]> {
  const committed = readMigrationList().migrationDirectories.map((directory) => directory.path);
  let applied: { migration_name: string }[];
  try {
    applied = await sqlOf(database.prisma).query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      [],
    );
  } catch (error) {
    // A missing database is not a missing table. The caller names the database and how to create it.
    if (isMissingDatabase(error)) throw error;
    // No migrations table yet: everything is pending.
    return committed;
  }
  const appliedNames = new Set(applied.map((row) => row.migration_name));
  return committed.filter((name) => !appliedNames.has(name));
}

/**
 * Returns the SQL that takes the database from the committed migrations to the schema in
 * prisma/schema.prisma, or an empty string when they already match.
 */
export async function diffSchemaAgainstMigrations(database: Database): Promise<string> {
  const engine = await startSchemaEngine(SCHEMA_PATH, database.adapterFactory, () => {});
  try {
    const migrations = readMigrationList();
    const from =
      migrations.migrationDirectories.length === 0
        ? { tag: 'empty' as const }
        : { tag: 'migrations' as const, ...migrations };
    const result = await engine.diff({
      from,
      to: {
        tag: 'schemaDatamodel',
        files: [{ path: SCHEMA_PATH, content: fs.readFileSync(SCHEMA_PATH, 'utf8') }],
      },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    } as Parameters<typeof engine.diff>[0]);
    return (result as { stdout?: string }).stdout ?? '';
  } finally {
    engine.free();
  }
}
