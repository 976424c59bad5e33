import type { DataAtStake } from '../catalog/data-at-stake.js';
import type { Finding } from '../inspector/index.js';
import type { ErrorFields } from '../proxy/interceptor.js';

export function formatCount(stake: DataAtStake): string {
  if (!Number.isFinite(stake.values)) return 'an unknown number of';
  const n = stake.values.toLocaleString('en-US');
  return stake.exact ? n : `~${n}`;
}

function stakeText(stake: DataAtStake): string {
  const one = stake.exact && stake.values === 1;
  const what = stake.column ? (one ? 'value' : 'values') : one ? 'row' : 'rows';
  const where = stake.column ? `${stake.schema}.${stake.table}.${stake.column}` : `${stake.schema}.${stake.table}`;
  return `${formatCount(stake)} ${what} in ${where}`;
}

/** One line: what the statement would destroy, with the data really at stake when it is known. */
export function heldSummary(finding: Finding, stakes: readonly DataAtStake[]): string {
  const at = stakes.length > 0 ? stakes.map(stakeText).join(', ') : '';
  if (finding.rule === 'rename-as-drop') return at ? `${finding.message} (${at})` : finding.message;
  if (finding.action && at) return `${finding.action} would destroy ${at}`;
  return finding.message;
}

const HOW_TO_AUTHORIZE =
  'If this is the planned change, sign a plan token for exactly this statement (tripwire plan sign) and present it: ' +
  "SET tripwire.plan = '<token>', or options=-c tripwire.plan=<token> in DATABASE_URL.";

export function heldError(finding: Finding, stakes: readonly DataAtStake[], reason: string, refusal?: { code: string; message: string }): ErrorFields {
  return {
    severity: 'ERROR',
    code: refusal?.code ?? 'TW001',
    message: `tripwire held: ${heldSummary(finding, stakes)}`,
    detail: `rule ${finding.rule}: ${finding.message} (${reason})${refusal ? ` The plan token was refused: ${refusal.message}` : ''}`,
    hint: `${finding.suggestion} ${HOW_TO_AUTHORIZE}`.trim(),
  };
}

export function warningNotice(finding: Finding): ErrorFields {
  return { severity: 'WARNING', code: '01000', message: `tripwire: ${finding.message}`, hint: finding.suggestion };
}
