import t from 'tap';
import { direct, freshDatabase } from '../harness/env.js';
import { change, startTestAdmin } from './helpers.js';

t.test('no key: 401; a wrong or revoked key: 401; the wrong role: 403; all in one error shape', async (t) => {
  const a = await startTestAdmin(t);
  const target = await freshDatabase(t, 'twtarget');
  const none = await a.call('GET', '/api/changes');
  t.equal(none.status, 401);
  t.same(Object.keys(none.body), ['error']);
  t.match(none.body.error, { status: 401, code: 'TW_API_UNAUTHORIZED', message: /API key/ });
  t.equal((await a.call('GET', '/api/changes', 'twk_0123456789abcdef_' + 'x'.repeat(43))).status, 401, 'an unknown key');
  t.equal((await a.call('GET', '/api/changes', 'Basic abc')).status, 401, 'not a key at all');
  const asApprover = await a.call('POST', '/api/changes', a.keys.alice, change(target));
  t.equal(asApprover.status, 403, 'an approver cannot submit');
  t.match(asApprover.body.error, { code: 'TW_API_FORBIDDEN', message: /approver role cannot submit changes: it needs ci or admin/ });
  t.equal((await a.call('PUT', '/api/policies/prod', a.keys.ci, 'version: 1\n')).status, 403, 'ci cannot change policies');
  t.equal((await a.call('GET', '/api/keys', a.keys.bob)).status, 403, 'an approver cannot list keys');
  const created = await a.call('POST', '/api/keys', a.keys.admin, { name: 'temp', role: 'ci' });
  t.equal(created.status, 201);
  t.match(created.body.key.key, /^twk_/);
  t.equal((await a.call('GET', '/api/changes', created.body.key.key)).status, 200);
  t.equal((await a.call('DELETE', `/api/keys/${created.body.key.id}`, a.keys.admin)).status, 200);
  t.equal((await a.call('GET', '/api/changes', created.body.key.key)).status, 401, 'revoked at once');
  const listed = await a.call('GET', '/api/keys', a.keys.admin);
  t.notOk(JSON.stringify(listed.body).includes(created.body.key.key.slice(-20)), 'listing never shows a key');
});

t.test('a bad body gets 400 naming the field; an unknown id or route gets 404', async (t) => {
  const a = await startTestAdmin(t);
  const target = await freshDatabase(t, 'twtarget');
  const missing = await a.call('POST', '/api/changes', a.keys.ci, { ...change(target), migrations: [{ name: 'x.sql' }] });
  t.equal(missing.status, 400);
  t.match(missing.body.error, { code: 'TW_API_BAD_REQUEST', message: "body/migrations/0 must have required property 'sql'" });
  t.same(missing.body.error.details, [{ field: 'body.migrations.0.sql', message: "must have required property 'sql'" }]);
  const kind = await a.call('POST', '/api/changes', a.keys.ci, change(target, { kind: 'data' }));
  t.match(kind.body.error, { status: 400, message: /body\/kind must be equal to one of the allowed values/ });
  const typo = await a.call('POST', '/api/changes', a.keys.ci, change(target, { dependOn: [1] }));
  t.match(typo.body.error, { status: 400, message: /must NOT have additional properties/, details: [{ field: 'body.dependOn' }] });
  const json = await a.call('POST', '/api/changes', a.keys.ci, '{"title": ', { 'content-type': 'application/json' });
  t.match(json.body.error, { status: 400, code: 'TW_API_BAD_REQUEST' });
  const badId = await a.call('GET', '/api/changes/abc', a.keys.ci);
  t.match(badId.body.error, { status: 400, message: /params\/id must be integer/ });
  const dup = await a.call('POST', '/api/changes', a.keys.ci, change(target, { migrations: [{ name: 'a.sql', sql: 'SELECT 1' }, { name: 'a.sql', sql: 'SELECT 2' }] }));
  t.match(dup.body.error, { status: 400, message: /migrations\/1\/name: "a.sql" appears twice/ });
  const codeWithSql = await a.call('POST', '/api/changes', a.keys.ci, change(target, { kind: 'code' }));
  t.match(codeWithSql.body.error, { status: 400, message: /a code change carries no migrations/ });
  const dep = await a.call('POST', '/api/changes', a.keys.ci, change(target, { dependsOn: [999] }));
  t.match(dep.body.error, { status: 400, message: /dependsOn\/0: change 999 is not in/ });
  const nowhere = await a.call('POST', '/api/changes', a.keys.ci, change('no_such_database_here'));
  t.match(nowhere.body.error, { status: 409, message: /cannot read the catalog of the target database "no_such_database_here"/ });

  for (const [method, path, key] of [
    ['GET', '/api/changes/424242', a.keys.ci],
    ['POST', '/api/changes/424242/release', a.keys.ci],
    ['POST', '/api/changes/424242/approve', a.keys.alice],
    ['GET', '/api/policies/nope', a.keys.ci],
    ['DELETE', '/api/keys/0123456789abcdef', a.keys.admin],
    ['GET', '/api/nothing-here', a.keys.ci],
  ] as const) {
    const res = await a.call(method, path, key, method === 'POST' ? {} : undefined);
    t.equal(res.status, 404, `${method} ${path}`);
    t.equal(res.body.error.code, 'TW_API_NOT_FOUND');
  }
  t.same(await direct(a.stateDatabase, 'SELECT count(*)::int AS n FROM tripwire.changes'), [{ n: 0 }], 'nothing was stored');
});

t.test('four eyes: an approver cannot approve or reject a change they authored', async (t) => {
  const a = await startTestAdmin(t);
  const target = await freshDatabase(t, 'twtarget');
  const sub = await a.call('POST', '/api/changes', a.keys.ci, change(target, { author: 'Alice', migrations: [{ name: '1.sql', sql: 'CREATE TABLE t (id int, phone text);' }] }));
  t.equal(sub.status, 201);
  const id = sub.body.change.id;
  const own = await a.call('POST', `/api/changes/${id}/approve`, a.keys.alice, {});
  t.equal(own.status, 403);
  t.match(own.body.error, { code: 'TW_API_FOUR_EYES', message: /alice authored change \d+ and cannot review it/ });
  t.equal((await a.call('POST', `/api/changes/${id}/reject`, a.keys.alice, { comment: 'no' })).status, 403);
  const ok = await a.call('POST', `/api/changes/${id}/approve`, a.keys.bob, { comment: 'lgtm' });
  t.equal(ok.status, 200);
  t.same(ok.body.reviews.map((r: { reviewer: string }) => r.reviewer), ['bob']);
  const noComment = await a.call('POST', `/api/changes/${id}/reject`, a.keys.bob, {});
  t.match(noComment.body.error, { status: 400, message: /comment/ });
  const rejected = await a.call('POST', `/api/changes/${id}/reject`, a.keys.bob, { comment: 'drops data' });
  t.equal(rejected.body.change.status, 'rejected');
  t.match(rejected.body.checks.approvals, { state: 'red', reason: 'rejected by bob: drops data' });
});

t.test('health, readiness, and the OpenAPI document lists every route', async (t) => {
  const a = await startTestAdmin(t);
  t.same((await a.call('GET', '/healthz')).body, { status: 'ok' });
  t.same((await a.call('GET', '/readyz')).body, { status: 'ready', upstream: true, state: true });
  const doc = (await a.call('GET', '/docs/json')).body;
  t.equal(doc.openapi, '3.0.3');
  t.ok(doc.info.title && doc.info.version, 'info has a title and a version');
  const routes = a.server.app.printRoutes({ commonPrefix: false });
  t.ok(routes.length > 0);
  const expected = [
    'get /healthz', 'get /readyz', 'get /metrics', 'get /docs/json',
    'get /api/policies', 'get /api/policies/{name}', 'put /api/policies/{name}',
    'post /api/changes', 'get /api/changes', 'get /api/changes/{id}', 'post /api/changes/{id}/approve', 'post /api/changes/{id}/reject',
    'post /api/changes/{id}/release', 'post /api/changes/{id}/applied', 'get /api/plan', 'post /api/deploys',
    'post /api/changes/{id}/rehearse', 'get /api/changes/{id}/rehearsal',
    'get /api/keys', 'post /api/keys', 'delete /api/keys/{id}', 'get /api/audit',
  ];
  const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
  t.same(listed.sort(), expected.sort(), 'every route, and nothing else');
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses?: unknown; parameters?: Array<{ name: string; in: string; required?: boolean }> }>>)) {
    for (const [method, op] of Object.entries(ops)) {
      t.ok(op.responses && typeof op.responses === 'object', `${method} ${path} has responses`);
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        t.ok(op.parameters?.some((p) => p.in === 'path' && p.name === name && p.required === true), `${method} ${path} declares path parameter ${name}`);
      }
    }
  }
  const text = JSON.stringify(doc);
  for (const ref of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
    const target = ref[1]!.split('/').reduce<any>((o, k) => o?.[k], doc);
    t.ok(target, `$ref #/${ref[1]} resolves`);
  }
  t.match(doc.paths['/api/changes'].post.requestBody.content['application/json'].schema.required, ['title', 'author', 'revision', 'baseRevision', 'kind', 'target']);
});

t.test('readyz says which side is unreachable', async (t) => {
  const a = await startTestAdmin(t);
  await a.server.db.close();
  const res = await a.call('GET', '/readyz');
  t.equal(res.status, 503);
  t.same(res.body, { status: 'unready', upstream: true, state: false });
});
