/** Open endpoints: liveness, readiness (upstream and state reachable), Prometheus metrics, the OpenAPI document. */
import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from '../deps.js';

export function healthRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/healthz', { schema: { summary: 'Alive', tags: ['health'] } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { summary: 'Ready: the upstream and the state database are reachable', tags: ['health'] } }, async (_request, reply) => {
    const [upstream, state] = await Promise.all([deps.upstreamReachable(), deps.db.ping()]);
    const ready = upstream && state;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unready', upstream, state });
  });

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['health'] } }, async (_request, reply) => {
    const registry = deps.metrics.registry;
    return reply.type(registry.contentType).send(await registry.metrics());
  });

  app.get('/docs/json', { schema: { summary: 'This OpenAPI document', tags: ['health'] } }, async () => app.swagger());
}
