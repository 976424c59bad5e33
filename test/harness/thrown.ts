import { TripwireError } from '../../src/errors.js';

/** The error a call throws (its catalogue code for TripwireErrors), or undefined when it returns. */
export function thrown(fn: () => unknown): { code?: string; message: string; sqlstate?: string } | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof TripwireError) return { code: err.code, message: err.message, ...(err.sqlstate ? { sqlstate: err.sqlstate } : {}) };
    return { message: String(err) };
  }
  return undefined;
}
