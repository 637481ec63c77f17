import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { buildDeclaration, typicalSizes } from '../scripts/bench/declarations.ts';
import { createDatabase, dropDatabase, uniqueName, databaseUrl } from '../scripts/bench/services.ts';
import { openBenchContext, intake } from '../scripts/bench/pipeline.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { seedReferenceParties } from '../src/db/seed.ts';
import { processDeclaration } from '../src/workers/process-declaration.ts';

const name = uniqueName('avvik_probe');
await createDatabase(name);
try {
  const ctx = await openBenchContext(databaseUrl(name));
  await applyMigrations(ctx.database); await seedReferenceParties(ctx.prisma, ctx.parties);
  const sizes = typicalSizes(Number(process.env.N ?? 300), 7);
  const files = await Promise.all(sizes.map(async (r, i) => ({ name: `d${i}.xlsx`, bytes: await buildDeclaration({ requirements: r, seed: i + 1 }) })));
  const ids = await intake(ctx.prisma, files);
  const pctx = { prisma: ctx.prisma, ruleSet: ctx.ruleSet, parties: ctx.parties as never, log: ctx.log, maxBytes: 64 << 20 };
  for (const id of ids.slice(0, 30)) await processDeclaration(pctx, id);
  const session = new Session(); session.connect();
  await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 100 });
  const cpu0 = process.cpuUsage(); const t0 = performance.now();
  if (process.env.PROF) await session.post('Profiler.start');
  for (const id of ids.slice(30)) await processDeclaration(pctx, id);
  const wall = performance.now() - t0; const cpu = process.cpuUsage(cpu0);
  const n = ids.length - 30;
  console.log(`n=${n} wall ${(wall / n).toFixed(2)} ms/decl, cpu ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms/decl`);
  if (process.env.PROF) { const { profile } = await session.post('Profiler.stop'); writeFileSync('/tmp/probe/prof.cpuprofile', JSON.stringify(profile)); }
  await ctx.database.close?.();
} finally { await dropDatabase(name); }
