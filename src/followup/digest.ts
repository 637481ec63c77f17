/**
 * Digests: one message per party with every overdue deviation that waits on it, in place of one
 * message per deviation. Each party's digest is read through that party's own scope, so it lists
 * only deviations the party may see, with contact details only where scope.ts allows them.
 *
 * Memory is bounded: the parties are written one at a time, their deviations are read one page per
 * query, and a party with more deviations than fit in one sort run is sorted through temporary files.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { fromDbPartyKind } from '../db/enums.ts';
import { partyActor } from './actors.ts';
import { AtomicFile, AtomicWriteError } from './atomic-file.ts';
import { parseCalendarDate } from './calendar.ts';
import { ExternalSort, type ExternalSortOptions } from './external-sort.ts';
import { formatDigestHeader, formatDigestItem } from './format.ts';
import {
  compareOverdue,
  compareParties,
  findOwnersWaitedOn,
  loadFollowupParties,
  readOverdue,
  type OverdueDeviation,
  type PartyRef,
} from './overdue.ts';
import type { FollowupSettings } from './settings.ts';

export interface WrittenDigest {
  party: PartyRef;
  count: number;
  textFile: string;
  jsonFile: string;
}

export interface WriteDigestsOptions {
  /** Deviations read per query. */
  pageSize?: number;
  /** Sort settings for each party's deviations; see ExternalSort. */
  sort?: ExternalSortOptions;
}

/**
 * Writes DIR/<party code>.txt and DIR/<party code>.json for every party that has overdue
 * deviations on `today`, creating DIR when needed. Other files in DIR are left alone. Each file is
 * written under a temporary name and renamed when complete. A failed write throws an error that
 * names the file and what to do, and leaves the digests written before it complete.
 */
export async function writeDigests(
  prisma: PrismaClient,
  settings: FollowupSettings,
  today: string,
  directory: string,
  options: WriteDigestsOptions = {},
): Promise<WrittenDigest[]> {
  const parties = await loadFollowupParties(prisma);
  const codes = new Set([parties.administration.code, ...(await findOwnersWaitedOn(prisma))]);
  // An owner code that no stored party has gets no digest, because no party could receive it.
  const waitedOn = [...codes]
    .map((code) => parties.byCode.get(code))
    .filter((party): party is PartyRef => party !== undefined)
    .sort(compareParties);

  await mkdir(directory, { recursive: true });
  const written: WrittenDigest[] = [];
  const usedNames = new Set<string>();
  for (const party of waitedOn) {
    const sorted = new ExternalSort(compareOverdue, options.sort);
    try {
      await collectPartyDeviations(prisma, settings, today, parties.administration.code, party, sorted, options.pageSize);
      if (sorted.count === 0) continue;
      const name = uniqueFileName(party.code, usedNames);
      const digest = { party, count: sorted.count, textFile: path.join(directory, `${name}.txt`), jsonFile: path.join(directory, `${name}.json`) };
      await writeDigestFiles(digest, today, sorted.sorted());
      written.push(digest);
    } finally {
      await sorted.dispose();
    }
  }
  return written;
}

/** Adds the overdue deviations waiting on `party`, read through that party's scope, to `sorted`. */
async function collectPartyDeviations(
  prisma: PrismaClient,
  settings: FollowupSettings,
  today: string,
  administrationCode: string,
  party: PartyRef,
  sorted: ExternalSort<OverdueDeviation>,
  pageSize: number | undefined,
): Promise<void> {
  const stored = await prisma.party.findUnique({ where: { code: party.code }, select: { id: true, code: true, kind: true, name: true } });
  if (!stored) return;
  const actor = partyActor({ ...stored, kind: fromDbPartyKind(stored.kind) });
  const pages = readOverdue(prisma, actor, settings, parseCalendarDate(today), administrationCode, { pageSize, waitingOn: party.code });
  for await (const page of pages) {
    for (const item of page) await sorted.add(item);
  }
}

/**
 * Writes one party's text and JSON digest from its deviations in report order. The JSON file is
 * JSON.stringify({ today, party, total, items }, null, 2) and a line feed, written one item at a time.
 */
async function writeDigestFiles(digest: WrittenDigest, today: string, items: AsyncIterable<OverdueDeviation>): Promise<void> {
  let text: AtomicFile | undefined;
  let json: AtomicFile | undefined;
  try {
    text = await AtomicFile.create(digest.textFile);
    json = await AtomicFile.create(digest.jsonFile);
    const head = JSON.stringify({ today, party: digest.party, total: digest.count }, null, 2);
    await text.write(formatDigestHeader(digest.party, digest.count, today));
    await json.write(`${head.slice(0, -'\n}'.length)},\n  "items": [`);

    let index = 0;
    for await (const item of items) {
      await text.write(formatDigestItem(item, index));
      await json.write(`${index === 0 ? '' : ','}\n    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`);
      index += 1;
    }
    await text.write('\n');
    await json.write(index === 0 ? ']\n}\n' : '\n  ]\n}\n');

    await text.finish();
    await json.finish();
    await text.publish();
    await json.publish();
  } catch (error) {
    await Promise.all([text?.discard(), json?.discard()]);
    if (error instanceof AtomicWriteError) throw digestWriteError(error, path.dirname(digest.textFile));
    throw error;
  }
}

function digestWriteError(error: AtomicWriteError, directory: string): Error {
  const advice = {
    space: `Free space on the disk of ${directory}`,
    'file-size-limit': 'Raise the file size limit (`ulimit -f`)',
    'missing-folder': `Create the folder ${directory}`,
    'not-allowed': `Allow writing to ${directory}`,
    'folder-in-the-way': `Move the folder ${error.file} away`,
    other: `Check the folder ${directory}`,
  }[error.failure.kind];
  return new Error(
    `Writing the digest ${error.file} failed, because ${error.failure.reason}. ${advice}, or give another folder with --digest, ` +
      'and run the command again. No half-written digest is left behind, and the digests written before it are complete.',
    { cause: error },
  );
}

/** Turns a party code into a file name; a supplier code without an organisation number can contain spaces or slashes. */
function uniqueFileName(code: string, used: Set<string>): string {
  const base = code.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'party';
  let name = base;
  for (let suffix = 2; used.has(name.toLowerCase()); suffix++) name = `${base}-${suffix}`;
  used.add(name.toLowerCase());
  return name;
}
