/**
 * The admin API: a Fastify app over the state database. Every route validates its body, params
 * and query with a JSON Schema (unknown fields are errors), every error has one JSON shape, and
 * the OpenAPI document at /docs/json is built from the same schemas.
 */
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AdminDeps } from './deps.js';
import { ERROR_SCHEMA, installErrorHandling } from './errors.js';
import { changeRoutes } from './routes/changes.js';
import { healthRoutes } from './routes/health.js';
import { keyRoutes } from './routes/keys.js';
import { policyRoutes } from './routes/policies.js';
import { rehearsalRoutes } from './routes/rehearsals.js';
import { statusCounts } from '../queue/store.js';

export const API_VERSION = '0.1.0';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'];

export async function buildAdminApp(deps: AdminDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger.child({ component: 'admin' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
  });
  installErrorHandling(app, () => deps.db.address);
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));
  app.addSchema(ERROR_SCHEMA);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'pg-tripwire admin API', version: API_VERSION, description: 'The ship queue, policies and keys. Errors: {"error": {"status", "code", "message", "details"}}; codes in docs/errors.md.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `tripwire keys create`' } } },
    },
  });
  healthRoutes(app, deps);
  policyRoutes(app, deps);
  changeRoutes(app, deps);
  rehearsalRoutes(app, deps);
  keyRoutes(app, deps);
  deps.metrics.setQueueCounts(() => statusCounts(deps.db.pool));
  app.addHook('onClose', async () => deps.metrics.setQueueCounts(null));
  return app;
}
