// Every role against every endpoint, with the data of two suppliers, two data providers, the
// operations party and two municipalities present. Nothing of another party may leak through
// lists, counts, filters, search hits, single reads, history, comments, attachments, files or
// contact details. The expected sets are written out by hand from the rules in docs/api.md.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, request, upload, useTestApi } from './support/api.ts';
import { buildWorld, DECLARATION_KEYS, USER_KEYS, type DeclarationKey, type DeviationName, type UserKey, type World } from './support/api-world.ts';

const api = useTestApi({ queue: true });
let world: World;

beforeAll(async () => {
  world = await buildWorld(api().app, api().prisma);
}, 180_000);

const rows = (key: DeclarationKey) => (['VS-1', 'BT-1', 'BT-2', 'SS-1'] as const).map((id) => `${key}.${id}` as DeviationName);
const ALL: DeviationName[] = [
  ...rows('alfaNorrby'),
  ...rows('alfaVastby'),
  ...rows('betaSoderby'),
  'report.bySupplierA',
  'report.byMunicipalityB',
  'report.byFk',
  'report.byAdministration',
];

/** The deviations each user may see. */
const VISIBLE: Record<UserKey, DeviationName[]> = {
  admin: ALL,
  // Its declarations in both municipalities, and its own report.
  supplierA: [...rows('alfaNorrby'), ...rows('alfaVastby'), 'report.bySupplierA'],
  // Its declaration, and the municipality's report on its system.
  supplierB: [...rows('betaSoderby'), 'report.byMunicipalityB'],
  // Confirmed on Alfa, assigned on Beta, its own report; Beta's unconfirmed FK proposal is not shown.
  fk: ['alfaNorrby.BT-1', 'betaSoderby.BT-2', 'report.byFk'],
  // Beta's CSN row was assigned to FK, so only the confirmed Alfa row remains.
  csn: ['alfaNorrby.BT-2'],
  drift: ['alfaNorrby.SS-1'],
  // Its system in its municipality only: not Alfa's declaration for Västby.
  municipalityA: rows('alfaNorrby'),
  municipalityB: [...rows('betaSoderby'), 'report.byMunicipalityB'],
};

/** The visible deviations whose contact details each user may read: as administration, reporter or owner. */
const CONTACT_VISIBLE: Record<UserKey, DeviationName[]> = {
  admin: ALL,
  supplierA: VISIBLE.supplierA,
  // The municipality's report is neither reported nor owned by supplier B.
  supplierB: rows('betaSoderby'),
  fk: VISIBLE.fk,
  csn: VISIBLE.csn,
  drift: VISIBLE.drift,
  // The declarations were reported by the supplier and uploaded by the administration.
  municipalityA: [],
  municipalityB: ['report.byMunicipalityB'],
};

const DECLARATIONS_VISIBLE: Record<UserKey, DeclarationKey[]> = {
  admin: DECLARATION_KEYS,
  supplierA: ['alfaNorrby', 'alfaVastby'],
  supplierB: ['betaSoderby'],
  fk: [],
  csn: [],
  drift: [],
  municipalityA: ['alfaNorrby'],
  municipalityB: ['betaSoderby'],
};

/** Declarations whose cover contact and original file each user may read. */
const DECLARATION_CONTACT_VISIBLE: Record<UserKey, DeclarationKey[]> = {
  ...DECLARATIONS_VISIBLE,
  municipalityA: [],
  municipalityB: [],
};

const names = (ids: string[]) => ids.map((id) => (Object.keys(world.deviations) as DeviationName[]).find((name) => world.deviations[name] === id) ?? id).sort();
const withoutRequestId = ({ requestId: _, ...body }: Record<string, unknown>) => body;

/** Returns the 404 response body for an id that does not exist, with that id replaced by `id`. */
async function notFoundBody(user: UserKey, path: (id: string) => string, id: string) {
  const missing = randomUUID();
  const answer = await request(api().app, world.users[user], 'GET', path(missing));
  expect(answer.statusCode).toBe(404);
  return JSON.parse(JSON.stringify(withoutRequestId(answer.body)).replaceAll(missing, id));
}

describe.each(USER_KEYS)('%s', (user) => {
  it('lists exactly the deviations it may see', async () => {
    const answer = await request(api().app, world.users[user], 'GET', '/api/deviations?limit=500');
    expect(answer.statusCode).toBe(200);
    expect(names(answer.body.items.map((item: { id: string }) => item.id))).toEqual([...VISIBLE[user]].sort());
    expect(answer.body.total).toBe(VISIBLE[user].length);
  });

  it('pages through the same deviations', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 20; offset += 3) {
      const answer = await request(api().app, world.users[user], 'GET', `/api/deviations?limit=3&offset=${offset}`);
      expect(answer.body.total).toBe(VISIBLE[user].length);
      seen.push(...answer.body.items.map((item: { id: string }) => item.id));
    }
    expect(names(seen)).toEqual([...VISIBLE[user]].sort());
  });

  it('finds only visible deviations in free-text search', async () => {
    for (const marker of new Set(Object.values(world.markers))) {
      const expected = VISIBLE[user].filter((name) => world.markers[name] === marker);
      const answer = await request(api().app, world.users[user], 'GET', `/api/deviations?q=${encodeURIComponent(marker.toUpperCase())}`);
      expect(answer.statusCode).toBe(200);
      expect(answer.body.total, `search for ${marker}`).toBe(expected.length);
      expect(names(answer.body.items.map((item: { id: string }) => item.id))).toEqual([...expected].sort());
    }
    const byRequirement = await request(api().app, world.users[user], 'GET', '/api/deviations?q=BT-1');
    expect(names(byRequirement.body.items.map((item: { id: string }) => item.id))).toEqual(VISIBLE[user].filter((name) => name.endsWith('.BT-1')).sort());
  });

  it('searches text as single reads show it', async () => {
    const details = new Map<DeviationName, ShownText>();
    for (const name of VISIBLE[user]) {
      const answer = await request(api().app, world.users[user], 'GET', `/api/deviations/${world.deviations[name]}`);
      details.set(name, answer.body);
    }
    for (const text of contactSearches()) {
      const expected = VISIBLE[user].filter((name) => showsText(details.get(name)!, text)).sort();
      const answer = await request(api().app, world.users[user], 'GET', `/api/deviations?limit=500&q=${encodeURIComponent(text)}`);
      expect(answer.statusCode, text).toBe(200);
      expect(answer.body.total, `total of ${text}`).toBe(expected.length);
      expect(names(answer.body.items.map((item: { id: string }) => item.id)), text).toEqual(expected);
    }
  });

  it('finds contact details only where readable', async () => {
    for (const name of VISIBLE[user].filter((visible) => visible.endsWith('.VS-1'))) {
      const id = world.deviations[name];
      const { email, phone } = world.contacts[name];
      const readable = CONTACT_VISIBLE[user].includes(name);
      // The title names the contact's phone number and the reason its e-mail address.
      for (const fragment of [`${email.split('@')[0]}@`, phone.slice(0, 7), phone.slice(-5)]) {
        const answer = await request(api().app, world.users[user], 'GET', `/api/deviations?limit=500&q=${encodeURIComponent(fragment)}`);
        const ids = answer.body.items.map((item: { id: string }) => item.id);
        expect(ids.includes(id), `${name} by ${fragment}`).toBe(readable);
        expect(answer.body.total, `total of ${fragment}`).toBe(ids.length);
      }
      const byWords = await request(api().app, world.users[user], 'GET', `/api/deviations?limit=500&q=${encodeURIComponent('frågor till')}`);
      expect(byWords.body.items.map((item: { id: string }) => item.id), `${name} by its words`).toContain(id);
      const byMask = await request(api().app, world.users[user], 'GET', `/api/deviations?limit=500&q=${encodeURIComponent('på [contact hidden]')}`);
      expect(byMask.body.items.map((item: { id: string }) => item.id).includes(id), `${name} by the mask`).toBe(!readable);
    }
  });

  it('pages through search hits', async () => {
    for (const text of ['[contact hidden]', '070-']) {
      const all = await request(api().app, world.users[user], 'GET', `/api/deviations?limit=500&q=${encodeURIComponent(text)}`);
      const seen: string[] = [];
      for (let offset = 0; offset < all.body.total + 2; offset += 2) {
        const page = await request(api().app, world.users[user], 'GET', `/api/deviations?limit=2&offset=${offset}&q=${encodeURIComponent(text)}`);
        expect(page.body.total, `${text} at ${offset}`).toBe(all.body.total);
        seen.push(...page.body.items.map((item: { id: string }) => item.id));
      }
      expect(seen, text).toEqual(all.body.items.map((item: { id: string }) => item.id));
    }
  });

  it('counts only visible deviations under every filter', async () => {
    const everything = (await request(api().app, world.users.admin, 'GET', '/api/deviations?limit=500')).body.items as AdminItem[];
    const visible = everything.filter((item) => VISIBLE[user].includes(nameOf(item.id)));
    const filters: [string, (item: AdminItem) => boolean][] = [
      ['party=FK', (item) => (item.owner?.partyCode ?? item.proposal.partyCode) === 'FK'],
      ['party=CSN', (item) => (item.owner?.partyCode ?? item.proposal.partyCode) === 'CSN'],
      ['party=ORG-5560000002', (item) => (item.owner?.partyCode ?? item.proposal.partyCode) === 'ORG-5560000002'],
      ['area=base-service', (item) => (item.owner?.area ?? item.proposal.area) === 'base-service'],
      ['area=ssbtek', (item) => (item.owner?.area ?? item.proposal.area) === 'ssbtek'],
      [`system=${world.systems.beta}`, (item) => item.businessSystem?.id === world.systems.beta],
      [`system=${world.systems.alfa}`, (item) => item.businessSystem?.id === world.systems.alfa],
      [`municipality=${encodeURIComponent('SÖDERBY KOMMUN')}`, (item) => item.municipality?.toLowerCase() === 'söderby kommun'],
      // 'ö' written as 'o' and a combining diaeresis.
      [`municipality=${encodeURIComponent('So\u0308derby kommun')}`, (item) => item.municipality?.toLowerCase() === 'söderby kommun'],
      ['status=new', (item) => item.status === 'new'],
      ['overdue=false', () => true],
      ...DECLARATION_KEYS.map((key) => [`declaration=${world.declarations[key]}`, (item: AdminItem) => item.declarationId === world.declarations[key]] as [string, (item: AdminItem) => boolean]),
    ];
    for (const [query, matches] of filters) {
      const answer = await request(api().app, world.users[user], 'GET', `/api/deviations?${query}&limit=500`);
      expect(answer.statusCode, query).toBe(200);
      const expected = visible.filter(matches).map((item) => item.id);
      expect(answer.body.total, query).toBe(expected.length);
      expect(answer.body.items.map((item: { id: string }) => item.id).sort(), query).toEqual(expected.sort());
    }
  });

  it('reads visible deviations and gets 404 for the others', async () => {
    for (const name of ALL) {
      const id = world.deviations[name];
      const answer = await request(api().app, world.users[user], 'GET', `/api/deviations/${id}`);
      if (!VISIBLE[user].includes(name)) {
        expect(answer.statusCode, name).toBe(404);
        expect(withoutRequestId(answer.body), name).toEqual(await notFoundBody(user, (other) => `/api/deviations/${other}`, id));
        continue;
      }
      expect(answer.statusCode, name).toBe(200);
      const contact = world.contacts[name];
      if (CONTACT_VISIBLE[user].includes(name)) {
        expect(answer.body.contact, name).toEqual(contact);
        expect(answer.body.contactRestricted, name).toBe(false);
      } else {
        expect(answer.body.contact, name).toBeNull();
        expect(answer.body.contactRestricted, name).toBe(true);
        const text = JSON.stringify(answer.body);
        expect(text, name).not.toContain(contact.email);
        expect(text, name).not.toContain(contact.phone);
        expect(text, name).not.toContain(contact.name);
      }
    }
  });

  it('reads contact details in context rows only where allowed', async () => {
    // VS-1's comment names the contact's e-mail address and the next row's comment the phone number.
    for (const name of VISIBLE[user].filter((visible) => visible.endsWith('.VS-1'))) {
      const answer = await request(api().app, world.users[user], 'GET', `/api/deviations/${world.deviations[name]}/context?around=1`);
      expect(answer.statusCode, name).toBe(200);
      const text = JSON.stringify(answer.body);
      const { email, phone } = world.contacts[name];
      const readable = CONTACT_VISIBLE[user].includes(name);
      expect(text.includes(email), name).toBe(readable);
      expect(text.includes('[contact hidden]'), name).toBe(!readable);
      if (DECLARATIONS_VISIBLE[user].some((key) => name.startsWith(`${key}.`))) expect(text.includes(phone), name).toBe(readable);
    }
  });

  it('reads contact details in comments only where allowed', async () => {
    const name: DeviationName = 'betaSoderby.SS-1';
    if (!VISIBLE[user].includes(name)) return;
    const { phone } = world.contacts[name];
    const marker = `kommentar-${user}`;
    // The administration writes the declaration's contact phone number into a comment.
    const posted = await request(api().app, world.users.admin, 'POST', `/api/deviations/${world.deviations[name]}/comments`, { body: `Ring ${phone} (${marker}).` });
    expect(posted.statusCode).toBe(201);
    const answer = await request(api().app, world.users[user], 'GET', `/api/deviations/${world.deviations[name]}`);
    const comment = (answer.body.comments as { body: string }[]).find((item) => item.body.includes(marker));
    expect(comment?.body).toBe(CONTACT_VISIBLE[user].includes(name) ? `Ring ${phone} (${marker}).` : `Ring [contact hidden] (${marker}).`);
  });

  it('reads the history of visible deviations', async () => {
    if (!VISIBLE[user].includes('alfaNorrby.BT-1')) return;
    const answer = await request(api().app, world.users[user], 'GET', `/api/deviations/${world.deviations['alfaNorrby.BT-1']}`);
    const types = answer.body.history.map((event: { type: string }) => event.type);
    expect(types.slice(0, 4)).toEqual(['created', 'owner-confirmed', 'comment-added', 'attachment-added']);
    const confirmed = answer.body.history[1];
    // A user's name may be a person's, so only callers who may read contact details see it.
    const name = answer.body.contactRestricted ? null : 'Förvaltningen';
    expect(confirmed.actor).toEqual({ id: world.users.admin.id, name, role: 'administration', partyCode: 'SKR' });
    expect(confirmed.from).toBeNull();
    expect(confirmed.to).toEqual({ area: 'base-service', partyCode: 'FK' });
    expect(confirmed.reason).toBe('Förslaget stämmer');
    expect(answer.body.history[0].actor.id).toBe('system');
    expect(answer.body.owner).toMatchObject({ area: 'base-service', partyKind: 'data-provider', partyCode: 'FK', setBy: world.users.admin.id });
    expect(answer.body.comments.map((comment: { body: string }) => comment.body)).toContain(world.comments.alfaNorrbyFk.body);
    expect(answer.body.attachments[0]).toMatchObject({ fileName: 'svar.log', mediaType: 'text/plain; charset=utf-8' });
  });

  it('downloads attachments of visible deviations only', async () => {
    for (const [key, attachment] of Object.entries(world.attachments)) {
      const answer = await request(api().app, world.users[user], 'GET', `/api/attachments/${attachment.id}`);
      if (VISIBLE[user].includes(attachment.deviation)) {
        expect(answer.statusCode, key).toBe(200);
        expect(Buffer.compare(answer.raw.rawPayload, attachment.bytes), key).toBe(0);
        expect(answer.raw.headers['content-disposition'], key).toMatch(/^attachment;/);
        expect(answer.raw.headers['x-content-type-options'], key).toBe('nosniff');
      } else {
        expect(answer.statusCode, key).toBe(404);
        expect(withoutRequestId(answer.body), key).toEqual(await notFoundBody(user, (other) => `/api/attachments/${other}`, attachment.id));
      }
    }
  });

  it('lists and reads only its declarations', async () => {
    const list = await request(api().app, world.users[user], 'GET', '/api/declarations');
    expect(list.statusCode).toBe(200);
    const expectedIds = DECLARATIONS_VISIBLE[user].map((key) => world.declarations[key]).sort();
    expect(list.body.items.map((item: { id: string }) => item.id).sort()).toEqual(expectedIds);
    expect(list.body.total).toBe(expectedIds.length);
    // The administration uploaded every declaration; lists name the uploader to the administration only.
    for (const item of list.body.items as { uploadedBy: { name: string | null } }[]) {
      expect(item.uploadedBy.name).toBe(user === 'admin' ? 'Förvaltningen' : null);
    }

    for (const key of DECLARATION_KEYS) {
      const id = world.declarations[key];
      const answer = await request(api().app, world.users[user], 'GET', `/api/declarations/${id}`);
      if (!DECLARATIONS_VISIBLE[user].includes(key)) {
        expect(answer.statusCode, key).toBe(404);
        expect(withoutRequestId(answer.body), key).toEqual(await notFoundBody(user, (other) => `/api/declarations/${other}`, id));
        continue;
      }
      expect(answer.statusCode, key).toBe(200);
      const expectedDeviations = VISIBLE[user].filter((name) => name.startsWith(`${key}.`));
      expect(names(answer.body.deviations.map((deviation: { id: string }) => deviation.id)), key).toEqual([...expectedDeviations].sort());
      const contactVisible = DECLARATION_CONTACT_VISIBLE[user].includes(key);
      expect(answer.body.contactRestricted, key).toBe(!contactVisible);
      expect(answer.body.uploadedBy.name, key).toBe(contactVisible ? 'Förvaltningen' : null);
      const contact = world.contacts[`${key}.VS-1`];
      if (contactVisible) {
        expect(answer.body.cover.contact, key).toEqual(contact);
        expect(answer.body.fileUrl, key).toBe(`/api/declarations/${id}/file`);
      } else {
        expect(answer.body.cover.contact, key).toBeNull();
        expect(answer.body.fileUrl, key).toBeNull();
        expect(JSON.stringify(answer.body), key).not.toContain(contact.email);
      }
    }
  });

  it('downloads only the declaration files it may read', async () => {
    for (const key of DECLARATION_KEYS) {
      const answer = await request(api().app, world.users[user], 'GET', `/api/declarations/${world.declarations[key]}/file`);
      if (DECLARATION_CONTACT_VISIBLE[user].includes(key)) {
        expect(answer.statusCode, key).toBe(200);
        expect(answer.raw.rawPayload.subarray(0, 2).toString('latin1'), key).toBe('PK');
      } else if (DECLARATIONS_VISIBLE[user].includes(key)) {
        expect(answer.statusCode, key).toBe(403);
        expect(answer.body.code, key).toBe('file-restricted');
      } else {
        expect(answer.statusCode, key).toBe(404);
        expect(answer.body.code, key).toBe('not-found');
      }
    }
  });

  it('never lists contact details', async () => {
    const lists = [
      await request(api().app, world.users[user], 'GET', '/api/deviations?limit=500'),
      await request(api().app, world.users[user], 'GET', '/api/declarations'),
    ];
    for (const list of lists) {
      const text = JSON.stringify(list.body);
      for (const contact of Object.values(world.contacts)) expect(text).not.toContain(contact.email);
    }
  });

  it('cannot decide, and cannot touch what it cannot see', async () => {
    for (const name of ALL) {
      const id = world.deviations[name];
      const visible = VISIBLE[user].includes(name);
      const changes = [
        ['confirm', {}],
        ['assign', { area: 'base-service', partyCode: 'CSN', reason: 'test' }],
        ['transition', { status: 'in-dialogue', reason: 'test' }],
      ] as const;
      if (user !== 'admin') {
        for (const [action, body] of changes) {
          const answer = await request(api().app, world.users[user], 'POST', `/api/deviations/${id}/${action}`, body);
          expect(answer.statusCode, `${action} ${name}`).toBe(visible ? 403 : 404);
        }
      }
      if (visible) continue;
      const comment = await request(api().app, world.users[user], 'POST', `/api/deviations/${id}/comments`, { body: 'ska inte sparas' });
      expect(comment.statusCode, `comment ${name}`).toBe(404);
      const attachment = await upload(api().app, world.users[user], `/api/deviations/${id}/attachments`, 'x.txt', Buffer.from('ska inte sparas'));
      expect(attachment.statusCode, `attach ${name}`).toBe(404);
    }
  });

  it('comments on a deviation it can see', async () => {
    const name = VISIBLE[user].at(-1)!;
    const answer = await request(api().app, world.users[user], 'POST', `/api/deviations/${world.deviations[name]}/comments`, { body: `kommentar från ${user}` });
    expect(answer.statusCode).toBe(201);
    const detail = await request(api().app, world.users[user], 'GET', `/api/deviations/${world.deviations[name]}`);
    const comment = detail.body.comments.find((candidate: { id: string }) => candidate.id === answer.body.id);
    expect(comment.body).toBe(`kommentar från ${user}`);
    expect(comment.author.id).toBe(world.users[user].id);
    expect(detail.body.history.at(-1)).toMatchObject({ type: 'comment-added', to: { commentId: answer.body.id } });
  });
});

describe('wildcards in names', () => {
  it('match literally in a municipality user\'s scope', async () => {
    const user = await createUser(api().prisma, { name: 'Jokertecken', role: 'municipality', system: world.systems.alfa, municipality: 'N_rrby %' });
    const answer = await request(api().app, user, 'GET', '/api/deviations');
    expect(answer.body.total).toBe(0);
    expect((await request(api().app, user, 'GET', '/api/declarations')).body.total).toBe(0);
  });

  it.each(['municipality=%25', 'municipality=N_rrby%20kommun', 'q=%25', 'q=_'])('match literally in filter %s', async (query) => {
    const answer = await request(api().app, world.users.admin, 'GET', `/api/deviations?${query}`);
    expect(answer.statusCode).toBe(200);
    expect(answer.body.total).toBe(0);
  });
});

describe('rejected writes', () => {
  it('stored no comment or attachment on hidden deviations', async () => {
    const stored = await api().prisma.deviationComment.count({ where: { body: 'ska inte sparas' } });
    expect(stored).toBe(0);
    const attachments = await api().prisma.deviationAttachment.count({ where: { fileName: 'x.txt' } });
    expect(attachments).toBe(0);
  });

  it('left proposals and statuses unchanged', async () => {
    const changed = await api().prisma.deviationEvent.count({ where: { reason: 'test' } });
    expect(changed).toBe(0);
  });
});

/** The free texts of a single read that free-text search covers. */
interface ShownText {
  title: string;
  reproduction: string | null;
  requirementId: string | null;
}

function showsText(detail: ShownText, text: string): boolean {
  const lowerCaseText = text.toLowerCase();
  return [detail.title, detail.reproduction, detail.requirementId].some((shown) => shown?.toLowerCase().includes(lowerCaseText) ?? false);
}

/** Searches for parts of every contact in the world, for the mask and for words around both. */
function contactSearches(): string[] {
  const searches = new Set(['[contact hidden]', 'contact hidden', 'på [contact', 'hidden])', 'frågor till', 'frågor på 070']);
  for (const { email, phone } of Object.values(world.contacts)) {
    searches.add(`${email.split('@')[0]}@`);
    searches.add(email.split('@')[1]!);
    searches.add(phone.slice(0, 7));
    searches.add(phone.slice(-5));
  }
  return [...searches];
}

interface AdminItem {
  id: string;
  status: string;
  declarationId: string | null;
  businessSystem: { id: string } | null;
  municipality: string | null;
  proposal: { area: string; partyCode: string | null };
  owner: { area: string; partyCode: string } | null;
}

function nameOf(id: string): DeviationName {
  return (Object.keys(world.deviations) as DeviationName[]).find((name) => world.deviations[name] === id)!;
}
