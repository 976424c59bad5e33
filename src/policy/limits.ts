/** The policy's `limits` over the proxy's own (flags or defaults): a limit the policy sets wins. */
import type { ProxyLimits } from '../proxy/limits.js';
import type { Policy } from './types.js';

export function applyPolicyLimits(base: Readonly<ProxyLimits>, policy: Policy): ProxyLimits {
  return { ...base, ...policy.limits };
}
