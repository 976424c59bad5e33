/** The admin API as the CI client sees it: JSON over HTTP with an API key; errors keep the API's code and message. */
import { TripwireError } from '../errors.js';

export interface ApiError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

export class ShipApiError extends TripwireError {
  constructor(
    readonly api: ApiError,
    method: string,
    url: string,
  ) {
    super('TW_SHIP_REQUEST_FAILED', { method, url, detail: `${api.status} ${api.code}: ${api.message}` });
  }
}

export interface ShipClientOptions {
  api: string;
  key?: string;
  timeoutMs?: number;
}

export class ShipClient {
  constructor(private readonly o: ShipClientOptions) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = this.o.api.replace(/\/+$/, '') + path;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.o.key) headers.authorization = `Bearer ${this.o.key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(this.o.timeoutMs ?? 60_000) });
    } catch (cause) {
      const detail = (cause as { cause?: { message?: string } }).cause?.message ?? (cause as Error).message;
      throw new TripwireError('TW_SHIP_REQUEST_FAILED', { method, url, detail }, { cause });
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      throw new TripwireError('TW_SHIP_REQUEST_FAILED', { method, url, detail: `${res.status}: not JSON: ${text.slice(0, 200)}` });
    }
    if (!res.ok) {
      const e = (parsed as { error?: ApiError } | null)?.error;
      throw new ShipApiError(e ?? { status: res.status, code: 'unknown', message: text.slice(0, 200) }, method, url);
    }
    return parsed as T;
  }
}
