/**
 * Loading: `--policy FILE|DIR`, the built-in default, and texts uploaded by name. Every problem in
 * every file is collected before anything throws.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TripwireError } from '../errors.js';
import { buildPolicy } from './normalize.js';
import { parsePolicyText, type Fragment } from './parse.js';
import { defaultPolicyPath } from './schema.js';
import type { Policy, PolicyIssue } from './types.js';

/** `policies/prod.yaml:12:5: rules.drop-colum: unknown rule id "drop-colum" (did you mean "drop-column"?)` */
export function formatIssue(issue: PolicyIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.path}: ${issue.message}`;
}

/** TW_POLICY_INVALID, carrying every issue; its message lists them one per line. */
export class PolicyError extends TripwireError {
  readonly issues: readonly PolicyIssue[];

  constructor(source: string, issues: readonly PolicyIssue[]) {
    super('TW_POLICY_INVALID', { source, detail: issues.map(formatIssue).join('\n') });
    this.name = 'PolicyError';
    this.issues = issues;
  }
}

export type PolicyValidation = { readonly ok: true; readonly policy: Policy } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

/** Validates one policy text, named `name` in its issues (an upload's name, or a path). Never throws. */
export function validatePolicyText(text: string, name: string): PolicyValidation {
  const parsed = parsePolicyText(text, name);
  return parsed.ok ? { ok: true, policy: buildPolicy([parsed.fragment]) } : { ok: false, issues: parsed.issues };
}

/** Like validatePolicyText, but throws a PolicyError. */
export function parsePolicy(text: string, name: string): Policy {
  const result = validatePolicyText(text, name);
  if (!result.ok) throw new PolicyError(name, result.issues);
  return result.policy;
}

export interface PolicyFile {
  readonly file: string;
  readonly text: string;
}

const POLICY_FILE = /^[^.].*\.ya?ml$/;

function unreadable(path: string, cause: unknown): TripwireError {
  const detail = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (cause as Error).message;
  return new TripwireError('TW_POLICY_UNREADABLE', { path, detail }, { cause });
}

/**
 * The texts behind a `--policy` path: the file itself, or a directory's `*.yaml` and `*.yml` files
 * (not hidden ones, not in subdirectories) in code-point order of their names.
 */
export async function readPolicyFiles(path: string): Promise<PolicyFile[]> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    throw unreadable(path, cause);
  }
  if (!info.isDirectory()) {
    try {
      return [{ file: path, text: await readFile(path, 'utf8') }];
    } catch (cause) {
      throw unreadable(path, cause);
    }
  }
  const files: PolicyFile[] = [];
  try {
    const names = (await readdir(path)).filter((n) => POLICY_FILE.test(n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const file = join(path, name);
      if ((await stat(file)).isFile()) files.push({ file, text: await readFile(file, 'utf8') });
    }
  } catch (cause) {
    throw unreadable(path, cause);
  }
  if (files.length === 0) throw new TripwireError('TW_POLICY_UNREADABLE', { path, detail: 'the directory has no *.yaml or *.yml files' });
  return files;
}

/** A digest of the files' names and contents: equal digests, equal policies. */
export function digestFiles(files: readonly PolicyFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(f.file).update('\0').update(f.text).update('\0');
  return h.digest('hex');
}

/** Parses and merges the files; throws a PolicyError listing the problems of all of them. */
export function policyFromFiles(files: readonly PolicyFile[], source: string): Policy {
  const fragments: Fragment[] = [];
  const issues: PolicyIssue[] = [];
  for (const f of files) {
    const parsed = parsePolicyText(f.text, f.file);
    if (parsed.ok) fragments.push(parsed.fragment);
    else issues.push(...parsed.issues);
  }
  if (issues.length > 0) throw new PolicyError(source, issues);
  return buildPolicy(fragments);
}

/** Loads `--policy FILE|DIR`, or policies/default.yaml when no path is given. */
export async function loadPolicy(path?: string): Promise<Policy> {
  const source = path ?? defaultPolicyPath();
  return policyFromFiles(await readPolicyFiles(source), source);
}
