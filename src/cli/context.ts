import { config, type Config } from '../config.ts';
import { missingDatabaseMessage, openDatabase, type Database } from '../db/client.ts';
import { isMissingDatabase } from '../db/errors.ts';
import { applyMigrations } from '../db/migrate.ts';
import { seedReferenceParties } from '../db/seed.ts';
import { createLogger, type DestinationStream, type Logger } from '../log.ts';
import { loadParties, type Party } from '../rules/parties.ts';
import { loadRuleSet, type RuleSet } from '../rules/ruleset.ts';

/** The configuration, logger, database and reference data that every command uses. */
export interface AppContext {
  config: Config;
  log: Logger;
  database: Database;
  parties: Party[];
  ruleSet: RuleSet;
  /** Names of the migrations this start applied; empty when the database was up to date. */
  appliedMigrations: string[];
  close(): Promise<void>;
}

/**
 * Opens the database, applies pending migrations, loads the reference parties into it and
 * reads the rule set. Applying migrations here lets a first run on the embedded database
 * work without a separate step; on PostgreSQL, Prisma's advisory lock serialises processes.
 */
export async function openAppContext(
  settings: Config = config(),
  options: { logDestination?: DestinationStream } = {},
): Promise<AppContext> {
  const log = createLogger(settings.AVVIK_LOG_LEVEL, options.logDestination);
  const parties = loadParties(settings.AVVIK_PARTIES_FILE);
  const ruleSet = loadRuleSet(settings.AVVIK_RULES_FILE);
  const database = await openDatabase({ databaseUrl: settings.DATABASE_URL, dataDir: settings.AVVIK_DATA_DIR });
  let applied: string[];
  try {
    applied = await applyMigrations(database);
    if (applied.length > 0) log.info({ migrations: applied, database: database.location }, 'migrations applied');
    await seedReferenceParties(database.prisma, parties);
  } catch (error) {
    await database.close();
    if (settings.DATABASE_URL && isMissingDatabase(error)) throw new Error(missingDatabaseMessage(settings.DATABASE_URL));
    throw error;
  }
  log.debug({ database: database.kind, location: database.location, ruleSet: ruleSet.version }, 'context opened');
  return { config: settings, log, database, parties, ruleSet, appliedMigrations: applied, close: () => database.close() };
}
