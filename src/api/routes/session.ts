/**
 * What a client needs to shape its screens: the signed-in user, and the reference parties that
 * the administration assigns owners among. Neither reveals a deviation or a declaration.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, type ApiDependencies } from '../dependencies.ts';
import { currentUserSchema, errorResponses, referencePartiesSchema } from '../schemas.ts';

export const sessionRoutes: FastifyPluginAsyncZod<{ dependencies: ApiDependencies }> = async (app, { dependencies }) => {
  app.get('/api/me', {
    schema: {
      tags: ['session'],
      summary: 'Read the user the token belongs to: name, role, party, and for a municipality user its system and municipality',
      response: { 200: currentUserSchema, ...errorResponses(401) },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      return {
        id: actor.userId,
        name: actor.name,
        role: actor.role,
        partyCode: actor.party?.code ?? null,
        businessSystem: actor.businessSystem ? { id: actor.businessSystem.id, name: actor.businessSystem.name } : null,
        municipality: actor.municipality,
      };
    },
  });

  app.get('/api/parties', {
    schema: {
      tags: ['session'],
      summary: 'List the reference parties: data providers, the operations party and the administration (suppliers are not listed)',
      response: { 200: referencePartiesSchema, ...errorResponses(401) },
    },
    handler: async () => ({
      items: dependencies.parties.map((party) => ({ code: party.code, kind: party.kind, name: party.name })),
    }),
  });
};
