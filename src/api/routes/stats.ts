/**
 * Counts for the overview page: deviations per status, area and party, new deviations waiting
 * for triage longer than a limit, and deviations opened and closed per ISO week. Every count
 * covers only the deviations the caller may see, through deviationScope.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import { fromDbArea } from '../../db/enums.ts';
import { config } from '../../config.ts';
import { swedishDateOf, workingDaysBetween } from '../../followup/calendar.ts';
import { limitFor, loadFollowupSettings } from '../../followup/settings.ts';
import { isAdministration, type Actor } from '../../workflow/actor.ts';
import { fromDbStatus } from '../../workflow/state-machine.ts';
import { partyCodeText } from '../contact-text.ts';
import { actorOf, type ApiDependencies } from '../dependencies.ts';
import { DEVIATION_SUMMARY_SELECT, presentDeviationSummary } from '../present.ts';
import { errorResponses, statsQuerySchema, statsSchema } from '../schemas.ts';
import { deviationScope } from '../scope.ts';
import { toCalendarDate } from '../../workflow/dates.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const OLDEST_SHOWN = 20;
/** The triage limit when the follow-up configuration sets none for new deviations. */
const DEFAULT_TRIAGE_LIMIT = 5;

export const statsRoutes: FastifyPluginAsyncZod<{ dependencies: ApiDependencies }> = async (app, { dependencies }) => {
  const settings = loadFollowupSettings(config().AVVIK_FOLLOWUP_FILE);
  const configuredTriageLimit = limitFor(settings, 'new', 'administration') ?? DEFAULT_TRIAGE_LIMIT;

  app.get('/api/stats', {
    schema: {
      tags: ['deviations'],
      summary: 'Count the deviations you may see per status, area, party and week, and those waiting too long for triage',
      querystring: statsQuerySchema,
      response: { 200: statsSchema, ...errorResponses(400, 401) },
    },
    handler: (request) =>
      readStats(
        dependencies.prisma,
        actorOf(request),
        { weeks: request.query.weeks, triageLimit: request.query.triageLimit ?? configuredTriageLimit },
        dependencies.now?.() ?? new Date(),
      ),
  });
};

async function readStats(prisma: PrismaClient, actor: Actor, query: { weeks: number; triageLimit: number }, now: Date) {
  const scope = deviationScope(actor);
  const [total, byStatus, byOwner, triage, weekly] = await Promise.all([
    prisma.deviation.count({ where: scope }),
    prisma.deviation.groupBy({ by: ['status'], where: scope, _count: { _all: true } }),
    prisma.deviation.groupBy({
      by: ['ownerArea', 'ownerPartyCode', 'proposedArea', 'proposedPartyCode'],
      where: scope,
      _count: { _all: true },
    }),
    readTriage(prisma, scope, query.triageLimit, now),
    readWeekly(prisma, scope, query.weeks, now),
  ]);

  const areas = new Map<string, number>();
  const parties = new Map<string, number>();
  for (const group of byOwner) {
    // The owner counts once a person set it; until then the proposal does, as in the list filters.
    const owned = group.ownerArea !== null && group.ownerArea !== 'unassigned' && group.ownerPartyCode !== null;
    const area = fromDbArea(owned ? group.ownerArea! : group.proposedArea);
    // A sole trader's code contains a personal identity number; lists show it to the administration only.
    const party = partyCodeText(owned ? group.ownerPartyCode : group.proposedPartyCode, isAdministration(actor)) ?? 'none';
    areas.set(area, (areas.get(area) ?? 0) + group._count._all);
    parties.set(party, (parties.get(party) ?? 0) + group._count._all);
  }

  return {
    total,
    byStatus: byStatus.map((group) => ({ key: fromDbStatus(group.status), count: group._count._all })).sort(byCountThenKey),
    byArea: toEntries(areas),
    byParty: toEntries(parties),
    triage,
    weekly,
  };
}

/**
 * Finds the new deviations that have waited more than `limit` Swedish working days. The day a
 * deviation arrived does not count, as in the follow-up calendar.
 */
async function readTriage(prisma: PrismaClient, scope: Prisma.DeviationWhereInput, limit: number, now: Date) {
  const waiting = await prisma.deviation.findMany({
    where: { AND: [scope, { status: 'new' }] },
    select: { id: true, createdAt: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const today = swedishDateOf(now);
  const late = waiting
    .map((deviation) => ({ id: deviation.id, days: workingDaysBetween(swedishDateOf(deviation.createdAt), today) }))
    .filter((deviation) => deviation.days > limit);

  const oldestLate = late.slice(0, OLDEST_SHOWN);
  const records = await prisma.deviation.findMany({ where: { id: { in: oldestLate.map((deviation) => deviation.id) } }, select: DEVIATION_SUMMARY_SELECT });
  const byId = new Map(records.map((record) => [record.id, record]));
  const todayText = toCalendarDate(today)!;
  return {
    limitWorkingDays: limit,
    waitingCount: late.length,
    oldest: oldestLate.map((deviation) => ({ ...presentDeviationSummary(byId.get(deviation.id)!, todayText), workingDaysWaiting: deviation.days })),
  };
}

/** Counts deviations created, and moves to closed, per ISO week of the Swedish calendar. */
async function readWeekly(prisma: PrismaClient, scope: Prisma.DeviationWhereInput, weeks: number, now: Date) {
  const today = swedishDateOf(now);
  const currentMonday = mondayOf(today);
  const firstMonday = new Date(currentMonday.getTime() - (weeks - 1) * 7 * DAY_MS);
  // Read one day early, because a Swedish Monday starts on Sunday evening in UTC.
  const since = new Date(firstMonday.getTime() - DAY_MS);

  const [created, closed] = await Promise.all([
    prisma.deviation.findMany({ where: { AND: [scope, { createdAt: { gte: since } }] }, select: { createdAt: true } }),
    prisma.deviationEvent.findMany({
      where: { at: { gte: since }, type: { in: ['status-changed'] }, toValue: { path: ['status'], equals: 'closed' }, deviation: { is: scope } },
      select: { at: true },
    }),
  ]);

  const series = Array.from({ length: weeks }, (_, index) => {
    const start = new Date(firstMonday.getTime() + index * 7 * DAY_MS);
    return { week: isoWeekOf(start), start: toCalendarDate(start)!, opened: 0, closed: 0 };
  });
  const indexOf = (instant: Date) => Math.floor((mondayOf(swedishDateOf(instant)).getTime() - firstMonday.getTime()) / (7 * DAY_MS));
  for (const { createdAt } of created) {
    const entry = series[indexOf(createdAt)];
    if (entry) entry.opened += 1;
  }
  for (const { at } of closed) {
    const entry = series[indexOf(at)];
    if (entry) entry.closed += 1;
  }
  return series;
}

/** Returns the Monday of a calendar date given as midnight UTC. */
function mondayOf(date: Date): Date {
  const weekday = date.getUTCDay() || 7;
  return new Date(date.getTime() - (weekday - 1) * DAY_MS);
}

/** Formats the ISO 8601 week of a date as YYYY-Www; the week belongs to the year of its Thursday. */
function isoWeekOf(date: Date): string {
  const thursday = new Date(mondayOf(date).getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function toEntries(counts: Map<string, number>) {
  return [...counts].map(([key, count]) => ({ key, count })).sort(byCountThenKey);
}

function byCountThenKey(a: { key: string; count: number }, b: { key: string; count: number }) {
  return b.count - a.count || a.key.localeCompare(b.key);
}
