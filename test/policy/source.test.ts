/**
 * PolicySource: load at start, hot reload on change (fs.watch and the fallback poll), and the last
 * good policy kept when a change is invalid. Real files, real watchers, a real pino logger.
 */
import t from 'tap';
import type { Test } from 'tap';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import type { TripwireError } from '../../src/errors.js';
import { defaultPolicyPath, PolicyError, PolicySource, type Policy, type PolicySourceOptions } from '../../src/policy/index.js';

const VALID = 'version: 1\nmode: enforce\n';
const OBSERVE = 'version: 1\nmode: observe\n';
const INVALID = 'version: 1\nmode: enforce\nrules:\n  drop-colum: hold\n';

/** A source on `path` that records what it reports and logs, with short timings. */
async function openRecorded(t: Test, path: string, opts: Partial<PolicySourceOptions> = {}) {
  const changes: Policy[] = [];
  const errors: TripwireError[] = [];
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const source = await PolicySource.open({
    path,
    logger,
    debounceMs: 20,
    pollIntervalMs: 150,
    onChange: (p) => void changes.push(p),
    onError: (e) => void errors.push(e),
    ...opts,
  });
  t.teardown(() => source.close());
  return { source, changes, errors, logs };
}

/** Waits until `ready()` holds, or fails after `ms`. */
async function until(ready: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('a valid change is picked up, an invalid one keeps the last good policy and says why', async (t) => {
  const dir = t.testdir({ 'policy.yaml': VALID });
  const file = join(dir, 'policy.yaml');
  const { source, changes, errors, logs } = await openRecorded(t, file);
  t.equal(source.current().mode, 'enforce');
  t.match(logs[0], { msg: 'policy loaded', policy: file, mode: 'enforce' });

  await writeFile(file, OBSERVE);
  await until(() => changes.length === 1, 'the valid change');
  t.equal(source.current().mode, 'observe');
  t.equal(changes[0], source.current());
  t.match(logs.at(-1), { msg: 'policy reloaded', mode: 'observe' });

  await writeFile(file, INVALID);
  await until(() => errors.length === 1, 'the invalid change to be reported');
  t.equal(source.current().mode, 'observe', 'the last good policy stays in force');
  const err = errors[0] as PolicyError;
  t.ok(err instanceof PolicyError);
  t.same(err.issues.map((i) => `${i.line}:${i.column} ${i.path}`), ['4:3 rules.drop-colum']);
  const logged = logs.find((l) => l.msg === 'policy reload failed: keeping the last good policy');
  t.ok(logged, 'the failure is logged');
  t.equal(logged?.level, 50);
  t.equal(logged?.code, 'TW_POLICY_INVALID');
  t.same(logged?.problems, [`${file}:4:3: rules.drop-colum: unknown rule id "drop-colum" (did you mean "drop-column"?)`]);

  t.equal(await source.reload(), 'failed');
  t.equal(errors.length, 1, 'the same broken content is reported once');

  await writeFile(file, VALID);
  await until(() => changes.length === 2, 'the fix');
  t.equal(source.current().mode, 'enforce');
  t.equal(await source.reload(), 'unchanged');
});

t.test('a file replaced by rename (as editors and config tools do) is picked up', async (t) => {
  const dir = t.testdir({ 'policy.yaml': VALID });
  const file = join(dir, 'policy.yaml');
  const { source, changes } = await openRecorded(t, file);
  await writeFile(join(dir, '.policy.yaml.tmp'), OBSERVE);
  await rename(join(dir, '.policy.yaml.tmp'), file);
  await until(() => changes.length === 1, 'the renamed file');
  t.equal(source.current().mode, 'observe');
});

t.test('a deleted file keeps the last good policy, and its return is picked up', async (t) => {
  const dir = t.testdir({ 'policy.yaml': OBSERVE });
  const file = join(dir, 'policy.yaml');
  const { source, changes, errors } = await openRecorded(t, file);
  await rm(file);
  await until(() => errors.length === 1, 'the missing file to be reported');
  t.equal(errors[0]!.code, 'TW_POLICY_UNREADABLE');
  t.equal(source.current().mode, 'observe');
  await writeFile(file, VALID);
  await until(() => changes.length === 1, 'the new file');
  t.equal(source.current().mode, 'enforce');
});

t.test('in a directory, a new file is merged in', async (t) => {
  const dir = t.testdir({ '10-base.yaml': VALID });
  const { source, changes } = await openRecorded(t, dir);
  await writeFile(join(dir, '20-scopes.yml'), 'version: 1\nscopes:\n  - match: {database: prod}\n    rules: {truncate: warn}\n');
  await until(() => changes.length === 1, 'the new file');
  t.same(source.current().sources, [join(dir, '10-base.yaml'), join(dir, '20-scopes.yml')]);
  t.equal(source.current().scopes.length, 1);
});

t.test('without fs.watch, the poll still finds the change', async (t) => {
  const dir = t.testdir({ 'policy.yaml': VALID });
  const file = join(dir, 'policy.yaml');
  const { source, changes } = await openRecorded(t, file, { fsWatch: false, pollIntervalMs: 100 });
  await writeFile(file, OBSERVE);
  await quiet(30);
  t.equal(changes.length, 0, 'nothing reacts before the poll');
  await until(() => changes.length === 1, 'the poll');
  t.equal(source.current().mode, 'observe');
});

t.test('reload() works without watching, and close() stops watching', async (t) => {
  const dir = t.testdir({ 'policy.yaml': VALID });
  const file = join(dir, 'policy.yaml');
  const { source, changes } = await openRecorded(t, file, { watch: false });
  await writeFile(file, OBSERVE);
  await quiet(300);
  t.equal(source.current().mode, 'enforce', 'not watched');
  t.equal(await source.reload(), 'changed');
  t.equal(source.current().mode, 'observe');
  t.equal(changes.length, 1);

  const watched = await openRecorded(t, file);
  watched.source.close();
  await writeFile(file, VALID);
  await quiet(400);
  t.equal(watched.changes.length, 0);
  t.equal(watched.source.current().mode, 'observe');
});

t.test('an invalid or missing policy at start throws, with every problem', async (t) => {
  const dir = t.testdir({ 'bad.yaml': 'version: 3\nmode: x\n' });
  const err = (await PolicySource.open({ path: join(dir, 'bad.yaml') }).catch((e: unknown) => e)) as PolicyError;
  t.ok(err instanceof PolicyError);
  t.same(err.issues.map((i) => i.path), ['version', 'mode']);
  const missing = (await PolicySource.open({ path: join(dir, 'none') }).catch((e: unknown) => e)) as TripwireError;
  t.equal(missing.code, 'TW_POLICY_UNREADABLE');
});

t.test('without a path, the packaged default applies', async (t) => {
  const source = await PolicySource.open();
  t.teardown(() => source.close());
  t.equal(source.path, defaultPolicyPath());
  t.equal(source.current().mode, 'enforce');
  t.equal(await source.reload(), 'unchanged');
});

t.test('a listener that throws does not stop the others or the reload', async (t) => {
  const dir = t.testdir({ 'policy.yaml': VALID });
  const file = join(dir, 'policy.yaml');
  const { source, changes, logs } = await openRecorded(t, file, { watch: false });
  const seen: string[] = [];
  source.subscribe({
    onChange: () => {
      throw new Error('boom');
    },
  });
  const unsubscribe = source.subscribe({ onChange: (p) => void seen.push(p.mode) });
  await writeFile(file, OBSERVE);
  t.equal(await source.reload(), 'changed');
  t.same(seen, ['observe']);
  t.equal(changes.length, 1);
  t.ok(logs.some((l) => l.msg === 'policy listener threw'));
  unsubscribe();
  await writeFile(file, VALID);
  await source.reload();
  t.same(seen, ['observe'], 'unsubscribed');
});
