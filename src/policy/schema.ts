/**
 * policies/schema.json, found from the package root (so it works from src/ under tsx and from
 * dist/), compiled once with ajv.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

const PACKAGE_NAME = 'pg-tripwire';
let root: string | undefined;

/** The directory holding pg-tripwire's package.json, found by walking up from this module. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
      root = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function schemaPath(): string {
  return join(packageRoot(), 'policies', 'schema.json');
}

export function defaultPolicyPath(): string {
  return join(packageRoot(), 'policies', 'default.yaml');
}

let validator: ValidateFunction | undefined;

/** The compiled schema: every error (allErrors), with the failing subschema and data (verbose). */
export function policyValidator(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(schemaPath(), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  validator = ajv.compile(schema);
  return validator;
}

export type { ErrorObject };
