// Generates the Prisma client into src/generated/prisma.
// The Prisma CLI downloads a native schema engine before every command, which fails offline.
// `prisma generate` never runs that engine, so any existing file satisfies the check.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true' };
const result = spawnSync('npx', ['prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
