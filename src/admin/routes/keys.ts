/** API keys and the audit log, for admins. */
import type { FastifyInstance } from 'fastify';
import { TripwireError } from '../../errors.js';
import { createApiKey, listApiKeys, revokeApiKey, type Role } from '../../state/api-keys.js';
import { requireRole, SECURITY } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { AUDIT_QUERY, KEY_BODY, KEY_PARAMS } from '../schemas.js';

export function keyRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const admin = requireRole(deps.db, 'manage keys and read the audit log', 'admin');
  const tags = ['admin'];

  app.get('/api/keys', { preHandler: admin, schema: { summary: 'List API keys (never the keys themselves)', tags, security: SECURITY } }, async () => ({ keys: await listApiKeys(deps.db.pool) }));

  app.post<{ Body: { name: string; role: Role } }>(
    '/api/keys',
    { preHandler: admin, schema: { summary: 'Create an API key; the response is the only time it is shown', tags, security: SECURITY, body: KEY_BODY } },
    async (request, reply) => reply.status(201).send({ key: await createApiKey(deps.db.pool, request.body.name, request.body.role) }),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/keys/:id',
    { preHandler: admin, schema: { summary: 'Revoke an API key', tags, security: SECURITY, params: KEY_PARAMS } },
    async (request) => {
      const key = await revokeApiKey(deps.db.pool, request.params.id);
      if (!key) throw new TripwireError('TW_API_NOT_FOUND', { what: `API key ${request.params.id}` });
      return { key };
    },
  );

  app.get<{ Querystring: { limit: number; database?: string } }>(
    '/api/audit',
    { preHandler: admin, schema: { summary: 'The latest audit records (holds, token passes, warnings)', tags, security: SECURITY, querystring: AUDIT_QUERY } },
    async (request) => {
      const { rows } = await deps.db.pool.query(
        `SELECT id, time, event, "user", database, application_name AS "applicationName", client, statement, rules, objects, verdict, reason, token_id AS "tokenId", instance
         FROM tripwire.audit WHERE ($2::text IS NULL OR database = $2) ORDER BY id DESC LIMIT $1`,
        [request.query.limit, request.query.database ?? null],
      );
      return { records: rows };
    },
  );
}
