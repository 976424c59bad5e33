/**
 * A migration runner needs nothing in its URL: every session that presents no plan token of its
 * own is given RELEASED_PLANS, the tokens the ship queue released for its database, as if it had
 * sent `options=-c tripwire.plan=@released`. The enforcement layer takes the setting out of the
 * startup parameters before the server sees them, exactly as for a token of the client's own.
 */
import { extractSetting } from '../enforce/startup-options.js';
import { PLAN_SETTING } from '../enforce/plan-tokens.js';
import type { Interceptor, SessionInfo } from '../proxy/interceptor.js';
import { RELEASED_PLANS } from './state-plan-tokens.js';

export function withReleasedPlans(inner: Interceptor): Interceptor {
  return {
    openSession(info: SessionInfo) {
      const options = info.parameters.get('options');
      if (options !== undefined && extractSetting(options, PLAN_SETTING).value !== undefined) return inner.openSession(info);
      const parameters = new Map(info.parameters);
      parameters.set('options', `${options ? `${options} ` : ''}-c ${PLAN_SETTING}=${RELEASED_PLANS}`);
      return inner.openSession({ ...info, parameters });
    },
  };
}
