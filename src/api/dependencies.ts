import type { Queue } from 'bullmq';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../log.ts';
import type { Party } from '../rules/parties.ts';
import type { RuleSet } from '../rules/ruleset.ts';
import type { Actor } from '../workflow/actor.ts';
import { todayInSweden } from '../workflow/dates.ts';
import type { DeclarationJobData } from '../workers/queue.ts';
import type { DeclarationScheduler } from './scheduler.ts';

/** The services and settings that the HTTP API takes from the rest of Avvik. */
export interface ApiDependencies {
  prisma: PrismaClient;
  log: Logger;
  parties: Party[];
  ruleSet: RuleSet;
  /** Largest declaration or attachment accepted, in bytes (AVVIK_MAX_FILE_BYTES). */
  maxFileBytes: number;
  scheduler: DeclarationScheduler;
  /** The declaration queue, for the dashboard; null without REDIS_URL. */
  queue: Queue<DeclarationJobData> | null;
  /** The Redis connection, for the readiness check; null without REDIS_URL. */
  redis: Redis | null;
  /** The database and Redis locations without credentials, for readiness messages. */
  locations: { database: string; redis: string | null };
  /** Requests per minute that one token, or one address without a token, may send to /api (AVVIK_RATE_LIMIT_PER_MINUTE). */
  rateLimitPerMinute: number;
  /** The clock; tests replace it to make due dates pass. */
  now?: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set by the authentication hook on every /api route except the OpenAPI document. */
    actor: Actor | null;
  }
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error(`Route ${request.routeOptions.url} ran without the authentication hook.`);
  return request.actor;
}

export function todayFor(dependencies: ApiDependencies): string {
  return todayInSweden(dependencies.now?.() ?? new Date());
}
