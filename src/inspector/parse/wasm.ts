/**
 * The one place that talks to libpg-query. The WASM module loads once (async); after that every
 * parse is synchronous, which is what lets the proxy judge a message without yielding.
 */
import { loadModule, parsePlPgSQLSync, parseSync } from 'libpg-query';
import type { Node, ParseResult } from 'libpg-query';
import { TripwireError } from '../../errors.js';

let loaded = false;
let loading: Promise<void> | undefined;

/** Loads the parser. Call once before `inspect`; later calls return at once. */
export function loadInspector(): Promise<void> {
  if (loaded) return Promise.resolve();
  loading ??= loadModule().then(() => {
    loaded = true;
  });
  return loading;
}

export function isInspectorLoaded(): boolean {
  return loaded;
}

function ensureLoaded(): void {
  if (!loaded) throw new TripwireError('TW_INSPECTOR_NOT_LOADED');
}

export interface ParseFailure {
  readonly message: string;
  /** Byte offset of the error in the parsed text. */
  readonly position: number;
}

export type ParseOutcome = { ok: true; result: ParseResult } | { ok: false; error: ParseFailure };

function failure(err: unknown): ParseFailure {
  const details = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
  const message = err instanceof Error ? err.message : String(err);
  return { message, position: details?.cursorPosition ?? 0 };
}

/** Parses SQL text. Never throws for bad input: a syntax error comes back as a value. */
export function parseSql(text: string): ParseOutcome {
  ensureLoaded();
  try {
    return { ok: true, result: parseSync(text) };
  } catch (err) {
    return { ok: false, error: failure(err) };
  }
}

export interface PlpgsqlFunction {
  readonly PLpgSQL_function: Record<string, unknown>;
}

/** Parses the PL/pgSQL bodies of the CREATE FUNCTION statements in `text`. */
export function parsePlpgsql(text: string): { ok: true; functions: PlpgsqlFunction[] } | { ok: false; error: ParseFailure } {
  ensureLoaded();
  try {
    const parsed = parsePlPgSQLSync(text) as unknown as { plpgsql_funcs?: PlpgsqlFunction[] };
    return { ok: true, functions: parsed.plpgsql_funcs ?? [] };
  } catch (err) {
    return { ok: false, error: failure(err) };
  }
}

export type { Node };
