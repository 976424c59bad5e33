/** The ship queue over HTTP: submit, read, review, release, record applied; the plan; deploys. */
import type { FastifyInstance } from 'fastify';
import type { DeployInput, SubmitInput } from '../../queue/ship-queue.js';
import type { Change } from '../../queue/types.js';
import { actorOf, requireRole, SECURITY } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { CHANGE_BODY, CHANGES_QUERY, DEPLOY_BODY, ID_PARAMS, PLAN_QUERY, REJECT_BODY, REVIEW_BODY } from '../schemas.js';

type Id = { Params: { id: number } };

export function changeRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const { queue, db } = deps;
  const reader = requireRole(db, 'read the queue', 'ci', 'approver', 'admin');
  const ci = (action: string) => requireRole(db, action, 'ci', 'admin');
  const approver = (action: string) => requireRole(db, action, 'approver', 'admin');
  const tags = ['queue'];

  app.post<{ Body: SubmitInput }>(
    '/api/changes',
    { preHandler: ci('submit changes'), bodyLimit: 16 * 1024 * 1024, schema: { summary: 'Submit a change; its migrations are linted against the live target at once', tags, security: SECURITY, body: CHANGE_BODY } },
    async (request, reply) => reply.status(201).send(await queue.submit(request.body, actorOf(request))),
  );

  app.get<{ Querystring: { target?: string; status?: Change['status'] } }>(
    '/api/changes',
    { preHandler: reader, schema: { summary: 'List changes', tags, security: SECURITY, querystring: CHANGES_QUERY } },
    async (request) => ({
      changes: (await queue.list(request.query)).map((c) => ({ id: c.id, title: c.title, author: c.author, kind: c.kind, target: c.target, revision: c.revision, status: c.status, statusReason: c.statusReason, createdAt: c.createdAt })),
    }),
  );

  app.get<Id>('/api/changes/:id', { preHandler: reader, schema: { summary: 'A change with its findings and checks', tags, security: SECURITY, params: ID_PARAMS } }, async (request) =>
    queue.get(request.params.id),
  );

  app.post<Id & { Body: { comment?: string } }>(
    '/api/changes/:id/approve',
    { preHandler: approver('approve changes'), schema: { summary: 'Approve (never your own change)', tags, security: SECURITY, params: ID_PARAMS, body: REVIEW_BODY } },
    async (request) => queue.review(request.params.id, actorOf(request), 'approve', request.body?.comment ?? ''),
  );

  app.post<Id & { Body: { comment: string } }>(
    '/api/changes/:id/reject',
    { preHandler: approver('reject changes'), schema: { summary: 'Reject, saying why', tags, security: SECURITY, params: ID_PARAMS, body: REJECT_BODY } },
    async (request) => queue.review(request.params.id, actorOf(request), 'reject', request.body.comment),
  );

  app.post<Id>(
    '/api/changes/:id/release',
    { preHandler: ci('release changes'), schema: { summary: 'Release when every check is green: mints and publishes the plan token', tags, security: SECURITY, params: ID_PARAMS } },
    async (request) => queue.release(request.params.id, actorOf(request)),
  );

  app.post<Id>(
    '/api/changes/:id/applied',
    { preHandler: ci('record applied changes'), schema: { summary: 'Record that a released change ran (when the proxy did not see it finish)', tags, security: SECURITY, params: ID_PARAMS } },
    async (request) => queue.markApplied(request.params.id, actorOf(request)),
  );

  app.get<{ Querystring: { target?: string } }>(
    '/api/plan',
    { preHandler: reader, schema: { summary: 'The release order, with the reason for each position', tags, security: SECURITY, querystring: PLAN_QUERY } },
    async (request) => ({ plan: await queue.plan(request.query.target) }),
  );

  app.post<{ Body: DeployInput }>(
    '/api/deploys',
    { preHandler: ci('record deploys'), schema: { summary: 'Record what is live; changes on another base turn needs-rebase', tags, security: SECURITY, body: DEPLOY_BODY } },
    async (request, reply) => reply.status(201).send(await queue.deploy(request.body, actorOf(request))),
  );
}
