/**
 * Every rule, by id. An id that is not here is an error wherever a rule is named (lint's
 * `-- tripwire:allow`, and policies later). Each rule has docs/rules/<id>.md.
 */
import type { ChangeOp } from '../model/changes.js';
import { addUniqueConstraint } from './add-unique-constraint.js';
import { allowInvalid } from './allow-invalid.js';
import { allowUnused } from './allow-unused.js';
import { cluster } from './cluster.js';
import { concurrentlyInTransaction } from './concurrently-in-transaction.js';
import { constraintMissingNotValid } from './constraint-missing-not-valid.js';
import { createIndexNonconcurrent } from './create-index-nonconcurrent.js';
import { deleteAllRows } from './delete-all-rows.js';
import { dropColumn } from './drop-column.js';
import { dropDatabase } from './drop-database.js';
import { dropIndexNonconcurrent } from './drop-index-nonconcurrent.js';
import { dropOwned } from './drop-owned.js';
import { dropSchema } from './drop-schema.js';
import { dropSequence } from './drop-sequence.js';
import { dropTable } from './drop-table.js';
import { dropTypeCascade } from './drop-type-cascade.js';
import { dynamicSql } from './dynamic-sql.js';
import { inspectorError } from './inspector-error.js';
import { lossyTypeChangeRule } from './lossy-type-change.js';
import { missingLockTimeout } from './missing-lock-timeout.js';
import { psqlMetaCommand } from './psql-meta-command.js';
import { renameAsDrop } from './rename-as-drop.js';
import { renameColumn } from './rename-column.js';
import { renameTable } from './rename-table.js';
import { setNotNull } from './set-not-null.js';
import { syntaxError } from './syntax-error.js';
import { tableRecreated } from './table-recreated.js';
import { truncate } from './truncate.js';
import type { Rule, RuleMeta } from './types.js';
import { typeChangeRewrite } from './type-change-rewrite.js';
import { updateAllRows } from './update-all-rows.js';
import { vacuumFull } from './vacuum-full.js';
import { volatileDefault } from './volatile-default.js';

/**
 * In the order they run. drop-column runs before rename-as-drop (which replaces its finding), and
 * drop-table before table-recreated.
 */
export const RULES: readonly Rule[] = [
  dropTable,
  dropSchema,
  dropDatabase,
  dropSequence,
  dropOwned,
  dropTypeCascade,
  dropColumn,
  truncate,
  deleteAllRows,
  updateAllRows,
  lossyTypeChangeRule,
  tableRecreated,
  renameAsDrop,
  dynamicSql,
  renameColumn,
  renameTable,
  createIndexNonconcurrent,
  dropIndexNonconcurrent,
  constraintMissingNotValid,
  setNotNull,
  volatileDefault,
  typeChangeRewrite,
  addUniqueConstraint,
  concurrentlyInTransaction,
  missingLockTimeout,
  vacuumFull,
  cluster,
  syntaxError,
  inspectorError,
  psqlMetaCommand,
  allowInvalid,
  allowUnused,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

export const RULES_BY_OP: ReadonlyMap<ChangeOp, readonly Rule[]> = (() => {
  const map = new Map<ChangeOp, Rule[]>();
  for (const rule of RULES) for (const op of rule.ops ?? []) map.set(op, [...(map.get(op) ?? []), rule]);
  return map;
})();

export const STATEMENT_RULES: readonly Rule[] = RULES.filter((r) => r.checkStatement !== undefined);

export function isRuleId(id: string): boolean {
  return RULES_BY_ID.has(id);
}

/** Rule metadata for reports (SARIF, docs), in registry order. */
export function ruleCatalogue(): RuleMeta[] {
  return RULES.map(({ id, severity, category, summary }) => ({ id, severity, category, summary }));
}
