// Generates the next migration from prisma/schema.prisma into prisma/migrations/<timestamp>_<name>/.
// Usage: npm run db:new-migration -- add_something
// The diff runs against an in-memory PGlite database, so no server is needed.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../src/generated/prisma/client.ts';
import { diffSchemaAgainstMigrations, MIGRATIONS_DIR } from '../src/db/migrate.ts';
import type { Database } from '../src/db/client.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Give the migration a name of lower-case letters, digits and _, e.g. add_owner_fields.');
  process.exit(2);
}

const pglite = new PGlite();
const adapterFactory = new PrismaPGlite(pglite);
const database: Database = {
  prisma: new PrismaClient({ adapter: adapterFactory }),
  adapterFactory,
  kind: 'pglite',
  location: 'memory',
  openMigrationAdapter: () => ({ adapterFactory, release: async () => {} }),
  close: () => pglite.close(),
};

try {
  const sql = await diffSchemaAgainstMigrations(database);
  if (sql.trim() === '' || /^--\s*This is an empty migration/.test(sql.trim())) {
    console.log('The schema matches the committed migrations; nothing to generate.');
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const folder = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'migration.sql'), sql);
    const lockfile = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
    if (!fs.existsSync(lockfile)) {
      fs.writeFileSync(
        lockfile,
        '# Written by scripts/new-migration.ts. Prisma Migrate reads the provider from here.\nprovider = "postgresql"\n',
      );
    }
    console.log(`Wrote ${path.relative(process.cwd(), folder)}/migration.sql`);
  }
} finally {
  await database.close();
}
