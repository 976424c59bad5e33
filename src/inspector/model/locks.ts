/**
 * PostgreSQL's table lock modes, weakest first, and the mode each ALTER TABLE sub-command takes
 * (after AlterTableGetLockLevel in src/backend/commands/tablecmds.c).
 */

export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;

export type LockMode = (typeof LOCK_MODES)[number];

export function lockRank(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode);
}

export function strongest(a: LockMode | null, b: LockMode | null): LockMode | null {
  if (a === null) return b;
  if (b === null) return a;
  return lockRank(a) >= lockRank(b) ? a : b;
}

/** LOCK TABLE's numeric mode (1 = ACCESS SHARE … 8 = ACCESS EXCLUSIVE). */
export function lockFromNumber(n: number): LockMode {
  return LOCK_MODES[Math.min(Math.max(n, 1), 8) - 1]!;
}

const ALTER_TABLE_LOCKS: Readonly<Record<string, LockMode>> = {
  AT_SetStatistics: 'SHARE UPDATE EXCLUSIVE',
  AT_ValidateConstraint: 'SHARE UPDATE EXCLUSIVE',
  AT_ClusterOn: 'SHARE UPDATE EXCLUSIVE',
  AT_DropCluster: 'SHARE UPDATE EXCLUSIVE',
  AT_SetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ResetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_AttachPartition: 'SHARE UPDATE EXCLUSIVE',
  AT_EnableTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableAlwaysTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableReplicaTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigUser: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrig: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigUser: 'SHARE ROW EXCLUSIVE',
  AT_AddIndexConstraint: 'SHARE UPDATE EXCLUSIVE',
};

/** The lock an ALTER TABLE sub-command takes; `constraintType` matters for ADD CONSTRAINT. */
export function alterTableLock(subtype: string, constraintType?: string, concurrent?: boolean): LockMode {
  if (subtype === 'AT_AddConstraint' && constraintType === 'CONSTR_FOREIGN') return 'SHARE ROW EXCLUSIVE';
  if (subtype === 'AT_DetachPartition' && concurrent) return 'SHARE UPDATE EXCLUSIVE';
  if (subtype === 'AT_SetRelOptions' || subtype === 'AT_ResetRelOptions') return 'SHARE UPDATE EXCLUSIVE';
  return ALTER_TABLE_LOCKS[subtype] ?? 'ACCESS EXCLUSIVE';
}
