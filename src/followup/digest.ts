/**
 * Digests: one message per party with every overdue deviation that waits on it, in place of one
 * message per deviation. Each party's digest is read through that party's own scope, so it lists
 * only deviations the party may see, with contact details only where scope.ts allows them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { fromDbPartyKind } from '../db/enums.ts';
import { administrationActor, partyActor } from './actors.ts';
import { formatDigest } from './format.ts';
import { findOverdue, type OverdueGroup } from './overdue.ts';
import type { FollowupSettings } from './settings.ts';

export interface WrittenDigest {
  party: OverdueGroup['party'];
  count: number;
  textFile: string;
  jsonFile: string;
}

/**
 * Writes DIR/<party code>.txt and DIR/<party code>.json for every party that has overdue
 * deviations on `today`, creating DIR when needed. Other files in DIR are left alone.
 */
export async function writeDigests(prisma: PrismaClient, settings: FollowupSettings, today: string, directory: string): Promise<WrittenDigest[]> {
  const overview = await findOverdue(prisma, await administrationActor(prisma), settings, today);
  await mkdir(directory, { recursive: true });
  const written: WrittenDigest[] = [];
  const usedNames = new Set<string>();

  for (const { party } of overview.groups) {
    const stored = await prisma.party.findUnique({ where: { code: party.code }, select: { id: true, code: true, kind: true, name: true } });
    if (!stored) continue;
    const actor = partyActor({ ...stored, kind: fromDbPartyKind(stored.kind) });
    const own = await findOverdue(prisma, actor, settings, today, { party: party.code });
    const group = own.groups[0];
    if (!group || group.items.length === 0) continue;

    const name = uniqueFileName(party.code, usedNames);
    const textFile = path.join(directory, `${name}.txt`);
    const jsonFile = path.join(directory, `${name}.json`);
    await writeFile(textFile, formatDigest(group, today), 'utf8');
    await writeFile(jsonFile, `${JSON.stringify({ today, party: group.party, total: group.items.length, items: group.items }, null, 2)}\n`, 'utf8');
    written.push({ party: group.party, count: group.items.length, textFile, jsonFile });
  }
  return written;
}

/** Turns a party code into a file name; a supplier code without an organisation number can contain spaces or slashes. */
function uniqueFileName(code: string, used: Set<string>): string {
  const base = code.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'party';
  let name = base;
  for (let suffix = 2; used.has(name.toLowerCase()); suffix++) name = `${base}-${suffix}`;
  used.add(name.toLowerCase());
  return name;
}
