/**
 * The policy layer: policy files (YAML, validated against policies/schema.json and the inspector's
 * rule registry), hot reload, and the pure decision from findings to a verdict. docs/policies.md
 * describes the format.
 */
export { decide, EMPTY_AWARE_RULES, stronger } from './decide.js';
export { loadPolicy, parsePolicy, validatePolicyText, readPolicyFiles, policyFromFiles, formatIssue, PolicyError } from './load.js';
export type { PolicyValidation, PolicyFile } from './load.js';
export { PolicySource } from './source.js';
export type { PolicySourceOptions, PolicyListener, ReloadOutcome } from './source.js';
export { defaultPolicyPath, schemaPath } from './schema.js';
export { builtInPolicy, DEFAULT_SEVERITY_ACTIONS } from './normalize.js';
export { applyPolicyLimits } from './limits.js';
export type * from './types.js';
