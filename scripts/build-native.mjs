#!/usr/bin/env node
// Compiles the native relay (src/native/*.c) into dist/native/tripwire-relay.node.
// Node-API needs only Node's headers and a C compiler; no node-gyp, no download. When either is
// missing the build says so and goes on: tripwire then runs its JavaScript relay, and says that
// too at start-up (TRIPWIRE_RELAY=native makes it an error instead).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'src/native');
const sources = readdirSync(sourceDir).filter((f) => f.endsWith('.c')).sort().map((f) => join(sourceDir, f));
const out = join(root, 'dist/native/tripwire-relay.node');

const candidates = [
  process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include/node'),
  join(dirname(process.execPath), '../include/node'),
  '/usr/include/node',
  '/usr/local/include/node',
].filter(Boolean);
const include = candidates.find((dir) => existsSync(join(dir, 'node_api.h')) && existsSync(join(dir, 'uv.h')));

function skip(reason) {
  console.warn(`native relay not built: ${reason}; tripwire will use its JavaScript relay`);
  process.exit(0);
}

if (!include) skip(`Node's headers (node_api.h, uv.h) not found in ${candidates.join(', ')}`);
const cc = process.env.CC || 'cc';
mkdirSync(dirname(out), { recursive: true });
const args = ['-O2', '-Wall', '-Wextra', '-Werror', '-std=gnu11', '-shared', '-fPIC', `-I${include}`, '-o', out, ...sources];
const run = spawnSync(cc, args, { stdio: 'inherit' });
if (run.error) skip(`${cc}: ${run.error.message}`);
if (run.status !== 0) skip(`${cc} exited with ${run.status}`);
