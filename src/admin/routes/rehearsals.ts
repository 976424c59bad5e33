/** Staging rehearsals over HTTP: start one (POST …/rehearse) and follow it (GET …/rehearsal). */
import type { FastifyInstance } from 'fastify';
import { TripwireError } from '../../errors.js';
import { actorOf, requireRole, SECURITY } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { ID_PARAMS, REHEARSE_BODY } from '../schemas.js';

type Id = { Params: { id: number } };

export function rehearsalRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const { rehearsals, db } = deps;
  const tags = ['rehearsal'];

  app.post<Id & { Body: { freshFromProduction?: boolean; rowLimit?: number; wait?: boolean } }>(
    '/api/changes/:id/rehearse',
    {
      preHandler: requireRole(db, 'rehearse changes', 'ci', 'admin'),
      schema: { summary: "Run the change's migrations on its staging database and verify the data survived; the result becomes its rehearsal check", tags, security: SECURITY, params: ID_PARAMS, body: REHEARSE_BODY },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const { run, done } = await rehearsals.start(request.params.id, actorOf(request).name, {
        ...(body.freshFromProduction ? { freshFromProduction: true } : {}),
        ...(body.rowLimit ? { rowLimit: body.rowLimit } : {}),
      });
      if (body.wait) {
        await done;
        return reply.status(200).send({ rehearsal: run });
      }
      return reply.status(202).header('location', `/api/changes/${run.changeId}/rehearsal`).send({ rehearsal: run });
    },
  );

  app.get<Id>(
    '/api/changes/:id/rehearsal',
    {
      preHandler: requireRole(db, 'read the queue', 'ci', 'approver', 'admin'),
      schema: { summary: "A rehearsal's progress while it runs, then its report", tags, security: SECURITY, params: ID_PARAMS },
    },
    async (request) => {
      const run = await rehearsals.status(request.params.id);
      if (!run) throw new TripwireError('TW_API_NOT_FOUND', { what: `a rehearsal of change ${request.params.id}` });
      return { rehearsal: run };
    },
  );
}
