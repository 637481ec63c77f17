// Setting the owner a deviation already has adds no history event.
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, reportDeviation, request, useTestApi, type TestUser } from './support/api.ts';

const api = useTestApi({ queue: false });
let admin: TestUser;
let deviationId: string;

beforeAll(async () => {
  admin = await createUser(api().prisma, { name: 'Förvaltningen', role: 'administration' });
  deviationId = await reportDeviation(api().app, admin);
});

describe('assigning the same owner twice', () => {
  it('records one event', async () => {
    const body = { area: 'ssbtek', partyCode: 'DRIFT', reason: 'Gäller den centrala komponenten' };
    const first = await request(api().app, admin, 'POST', `/api/deviations/${deviationId}/assign`, body);
    const second = await request(api().app, admin, 'POST', `/api/deviations/${deviationId}/assign`, body);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.body.owner).toMatchObject({ area: 'ssbtek', partyCode: 'DRIFT' });
    const types = second.body.history.map((event: { type: string }) => event.type);
    expect(types.filter((type: string) => type === 'owner-assigned')).toHaveLength(1);
  });
});
