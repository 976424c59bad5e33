import t from 'tap';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { ERROR_CATALOGUE } from '../../../src/errors.js';
import {
  MemoryTokenUsage,
  PLAN_TOKEN_TYPE,
  readPublicKeys,
  signPlanToken,
  verifyPlanToken,
  type PlanPublicKeys,
  type VerifyRequest,
} from '../../../src/policy/tokens/index.js';
import { pairIn, tempDir, type Pair } from './fixtures.js';

const SCHEMA = 'schema-fingerprint-at-plan-time';
const DROP = 'fp-of-alter-table-drop-column';
const TRUNCATE = 'fp-of-truncate-events';

interface World {
  trusted: Pair;
  stranger: Pair;
  keys: PlanPublicKeys;
  sign(over?: Partial<Parameters<typeof signPlanToken>[0]>): Promise<string>;
  request(over?: Partial<VerifyRequest>): VerifyRequest;
}

async function world(t: { teardown(fn: () => unknown): void }): Promise<World> {
  const dir = tempDir(t);
  const trusted = await pairIn(dir, 'trusted');
  const stranger = await pairIn(dir, 'stranger');
  const keys = await readPublicKeys(trusted.publicPath);
  return {
    trusted,
    stranger,
    keys,
    sign: async (over = {}) =>
      (await signPlanToken({ privateKey: trusted.privateKey, database: 'crm', schemaFingerprint: SCHEMA, statementFingerprints: [DROP, TRUNCATE], ttlSeconds: 3600, ...over })).token,
    request: (over = {}) => ({ keys, database: 'crm', liveSchemaFingerprint: SCHEMA, statementFingerprint: DROP, usage: new MemoryTokenUsage(), ...over }),
  };
}

const inAnHour = (token: string) => new Date(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000 + 1000);

t.test('a valid token that covers the statement passes, with its claims', async (t) => {
  const w = await world(t);
  const { token, tokenId, expiresAt } = await signPlanToken({ privateKey: w.trusted.privateKey, database: 'crm', schemaFingerprint: SCHEMA, statementFingerprints: [DROP, DROP, TRUNCATE], ttlSeconds: 600, change: 'chg-42' });
  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
  t.same(header, { alg: 'EdDSA', kid: w.trusted.kid, typ: PLAN_TOKEN_TYPE }, 'the protected header names the key');
  const result = await verifyPlanToken(token, w.request());
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  t.match(result.claims, { db: 'crm', schema: SCHEMA, stmts: [DROP, TRUNCATE], jti: tokenId, change: 'chg-42', iss: 'tripwire' });
  t.equal(result.claims.exp - result.claims.iat, 600);
  t.equal(result.claims.exp * 1000, expiresAt.getTime());
  t.match(tokenId, /^[0-9a-f-]{36}$/);
  t.not((await signPlanToken({ privateKey: w.trusted.privateKey, database: 'crm', schemaFingerprint: SCHEMA, statementFingerprints: [DROP], ttlSeconds: 60 })).tokenId, tokenId, 'every token has its own id');
});

t.test('each refusal on its own: reason, stable code, SQLSTATE, and a message with the fix', async (t) => {
  const w = await world(t);
  const good = await w.sign();
  const used = new MemoryTokenUsage();
  const jti = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString()).jti as string;
  used.markUsed(jti, DROP);
  const cases: Array<[string, string, Partial<VerifyRequest>, string, RegExp]> = [
    ['bad-signature', await w.sign({ privateKey: w.stranger.privateKey }), {}, 'TW_TOKEN_BAD_SIGNATURE', /no configured public key has id .*sign it with a key/],
    ['expired', good, { now: inAnHour(good) }, 'TW_TOKEN_EXPIRED', /expired at .*sign a new one/],
    ['wrong-database', good, { database: 'billing' }, 'TW_TOKEN_WRONG_DATABASE', /for database crm, not billing: sign a plan for billing/],
    ['stale', good, { liveSchemaFingerprint: 'the-schema-moved' }, 'TW_TOKEN_STALE', /live schema changed .*rebase the change and plan again/],
    ['wrong-statement', good, { statementFingerprint: 'fp-of-something-else' }, 'TW_TOKEN_WRONG_STATEMENT', /does not cover this statement.*sign a plan that includes this one/],
    ['used', good, { usage: used }, 'TW_TOKEN_USED', /already used .*runs once; sign a new plan/],
  ];
  for (const [reason, token, over, code, message] of cases) {
    const result = await verifyPlanToken(token, w.request(over));
    t.match(result, { ok: false, reason, error: { code } }, reason);
    if (result.ok) continue;
    t.match(result.message, message, `${reason}: says why and what to do`);
    t.equal(result.error.sqlstate, ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].sqlstate);
    t.match(result.error.sqlstate, /^TW00[2-7]$/, `${reason}: SQLSTATE class TW`);
  }
  t.same(new Set(cases.map((c) => ERROR_CATALOGUE[c[3] as keyof typeof ERROR_CATALOGUE].sqlstate)).size, cases.length, 'one SQLSTATE per reason');
  t.ok((await verifyPlanToken(good, w.request())).ok, 'and the same token passes where nothing is wrong');
});

t.test('checks run in order: signature, expiry, database, staleness, coverage, use', async (t) => {
  const w = await world(t);
  const good = await w.sign();
  const late = inAnHour(good);
  const everything: Partial<VerifyRequest> = { now: late, database: 'billing', liveSchemaFingerprint: 'moved', statementFingerprint: 'other' };
  const forged = await w.sign({ privateKey: w.stranger.privateKey });
  t.match(await verifyPlanToken(forged, w.request(everything)), { reason: 'bad-signature' }, 'a bad signature before expiry');
  t.match(await verifyPlanToken(good, w.request(everything)), { reason: 'expired' }, 'expiry before database');
  t.match(await verifyPlanToken(good, w.request({ ...everything, now: undefined })), { reason: 'wrong-database' }, 'database before staleness');
  t.match(await verifyPlanToken(good, w.request({ liveSchemaFingerprint: 'moved', statementFingerprint: 'other' })), { reason: 'stale' }, 'staleness before coverage');
  const usage = new MemoryTokenUsage();
  const { jti } = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString()) as { jti: string };
  usage.markUsed(jti, 'other');
  t.match(await verifyPlanToken(good, w.request({ statementFingerprint: 'other', usage })), { reason: 'wrong-statement' }, 'coverage before use');
});

t.test('bad signatures: unknown kid, a borrowed kid, tampering, alg none, garbage, malformed claims', async (t) => {
  const w = await world(t);
  const good = await w.sign();
  const [h, p, s] = good.split('.') as [string, string, string];
  const borrowed = await w.sign({ privateKey: { kid: w.trusted.kid, key: w.stranger.privateKey.key } });
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  const otherDb = Buffer.from(JSON.stringify({ ...payload, db: 'billing' })).toString('base64url');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: w.trusted.kid, typ: PLAN_TOKEN_TYPE })).toString('base64url')}.${p}.`;
  const sign = (claims: Record<string, unknown>, typ = PLAN_TOKEN_TYPE) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: w.trusted.kid, typ }).setIssuedAt().setExpirationTime('1h').setJti('x').sign(w.trusted.privateKey.key);
  const cases: Array<[string, string, RegExp]> = [
    ['signed by a key the proxy does not know', await w.sign({ privateKey: w.stranger.privateKey }), new RegExp(`no configured public key has id ${w.stranger.kid}`)],
    ['signed by a stranger under a trusted kid', borrowed, /signature/],
    ['a claim changed after signing', `${h}.${otherDb}.${s}`, /signature/],
    ['alg none', none, /not valid/],
    ['not a JWS at all', 'hello', /not a JWS token/],
    ['an empty string', '', /not a JWS token/],
    ['stmts is not a list of strings', await sign({ db: 'crm', schema: SCHEMA, stmts: DROP }), /claims are malformed/],
    ['no db', await sign({ schema: SCHEMA, stmts: [DROP] }), /claims are malformed/],
    ['change is not a string', await sign({ db: 'crm', schema: SCHEMA, stmts: [DROP], change: 7 }), /claims are malformed/],
    ['another token type', await sign({ db: 'crm', schema: SCHEMA, stmts: [DROP] }, 'JWT'), /typ/],
  ];
  for (const [name, token, message] of cases) {
    const result = await verifyPlanToken(token, w.request());
    t.match(result, { ok: false, reason: 'bad-signature', error: { code: 'TW_TOKEN_BAD_SIGNATURE', sqlstate: 'TW002' } }, name);
    if (!result.ok) t.match(result.message, message, `${name}: ${result.message}`);
  }
  t.ok((await verifyPlanToken(await sign({ db: 'crm', schema: SCHEMA, stmts: [DROP] }), w.request())).ok, 'the hand-made token with good claims passes: the refusals above are about what changed');
});

t.test('rotation: a directory of public keys accepts tokens from each, and picks the key by kid', async (t) => {
  const dir = tempDir(t);
  const old = await pairIn(dir, 'old');
  const next = await pairIn(dir, 'next');
  const retired = await pairIn(dir, 'retired');
  const pub = join(dir, 'public');
  mkdirSync(pub);
  writeFileSync(join(pub, 'old.pem'), readFileSync(old.publicPath));
  writeFileSync(join(pub, 'next.pem'), readFileSync(next.publicPath));
  const keys = await readPublicKeys(pub);
  const request: VerifyRequest = { keys, database: 'crm', liveSchemaFingerprint: SCHEMA, statementFingerprint: DROP, usage: new MemoryTokenUsage() };
  for (const pair of [old, next]) {
    const { token } = await signPlanToken({ privateKey: pair.privateKey, database: 'crm', schemaFingerprint: SCHEMA, statementFingerprints: [DROP], ttlSeconds: 60 });
    t.ok((await verifyPlanToken(token, request)).ok, `signed by ${pair.privatePath}`);
  }
  const { token } = await signPlanToken({ privateKey: retired.privateKey, database: 'crm', schemaFingerprint: SCHEMA, statementFingerprints: [DROP], ttlSeconds: 60 });
  t.match(await verifyPlanToken(token, request), { ok: false, reason: 'bad-signature' }, 'a key no longer in the directory is refused');
});

t.test('no public keys configured: every token is refused, and says so', async (t) => {
  const w = await world(t);
  t.match(await verifyPlanToken(await w.sign(), w.request({ keys: null })), { ok: false, reason: 'no-keys', error: { code: 'TW_TOKEN_NO_KEYS', sqlstate: 'TW008' }, message: /--plan-public-key/ });
});

t.test('use-once: a statement is used up when the proxy marks it, and only that statement of that token', async (t) => {
  const w = await world(t);
  const usage = new MemoryTokenUsage();
  const token = await w.sign();
  const other = await w.sign();
  const first = await verifyPlanToken(token, w.request({ usage }));
  t.ok(first.ok, 'first attempt');
  t.ok((await verifyPlanToken(token, w.request({ usage }))).ok, 'a failed attempt (never marked) may be retried');
  if (!first.ok) return;
  t.equal(usage.isUsed(first.claims.jti, DROP), false);
  usage.markUsed(first.claims.jti, DROP);
  t.equal(usage.isUsed(first.claims.jti, DROP), true);
  t.match(await verifyPlanToken(token, w.request({ usage })), { ok: false, reason: 'used', message: new RegExp(first.claims.jti) }, 'after it succeeded: used');
  t.ok((await verifyPlanToken(token, w.request({ usage, statementFingerprint: TRUNCATE }))).ok, 'the token\'s other statement is still unused');
  t.ok((await verifyPlanToken(other, w.request({ usage }))).ok, 'another token for the same statement is its own');
});
