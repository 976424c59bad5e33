/** Policies over HTTP: uploaded as YAML, validated, stored in state and announced to every proxy. */
import type { FastifyInstance } from 'fastify';
import { TripwireError } from '../../errors.js';
import { formatIssue, validatePolicyText } from '../../policy/index.js';
import { getPolicy, listPolicies, putPolicy } from '../../state/policies-store.js';
import { actorOf, requireRole, SECURITY } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { errorBody } from '../errors.js';
import { POLICY_BODY, POLICY_PARAMS } from '../schemas.js';

export function policyRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const anyRole = requireRole(deps.db, 'read policies', 'ci', 'approver', 'admin');
  const admin = requireRole(deps.db, 'change policies', 'admin');

  app.get('/api/policies', { preHandler: anyRole, schema: { summary: 'List uploaded policies', tags: ['policies'], security: SECURITY } }, async () => ({
    policies: (await listPolicies(deps.db)).map(({ body: _body, ...meta }) => meta),
  }));

  app.get<{ Params: { name: string } }>(
    '/api/policies/:name',
    { preHandler: anyRole, schema: { summary: 'One policy, with its YAML', tags: ['policies'], security: SECURITY, params: POLICY_PARAMS } },
    async (request) => {
      const policy = await getPolicy(deps.db, request.params.name);
      if (!policy) throw new TripwireError('TW_API_NOT_FOUND', { what: `policy ${request.params.name}` });
      return { policy };
    },
  );

  app.put<{ Params: { name: string }; Body: string }>(
    '/api/policies/:name',
    {
      preHandler: admin,
      schema: {
        summary: 'Create or replace a policy (YAML body); proxies pick it up without a restart',
        tags: ['policies'],
        security: SECURITY,
        params: POLICY_PARAMS,
        body: POLICY_BODY,
        consumes: ['application/yaml', 'text/yaml', 'text/plain'],
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const result = validatePolicyText(request.body, name);
      if (!result.ok) {
        const details = result.issues.map((i) => ({ line: i.line, column: i.column, field: i.path, message: i.message }));
        return reply.status(400).send(errorBody(400, 'TW_POLICY_INVALID', new TripwireError('TW_POLICY_INVALID', { source: name, detail: result.issues.map(formatIssue).join('\n') }).message, details));
      }
      const existed = (await getPolicy(deps.db, name)) !== null;
      const policy = await putPolicy(deps.db, name, request.body, actorOf(request).name);
      return reply.status(existed ? 200 : 201).send({ policy: { ...policy, body: undefined }, mode: result.policy.mode });
    },
  );
}
