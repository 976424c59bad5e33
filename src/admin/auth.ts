/**
 * API key authentication and role checks. `Authorization: Bearer twk_…`. No valid key: 401. A key
 * whose role may not do this: 403. Health, readiness, metrics and the OpenAPI document are open.
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { TripwireError } from '../errors.js';
import type { Actor } from '../queue/ship-queue.js';
import { verifyApiKey, type Role } from '../state/api-keys.js';
import type { StateDb } from '../state/state-db.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export const SECURITY = [{ apiKey: [] as string[] }];

export function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m ? m[1]! : null;
}

/** A preHandler that lets in keys of these roles, doing `action` (for the 403 message). */
export function requireRole(db: StateDb, action: string, ...roles: Role[]): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const key = presentedKey(request);
    const info = key ? await verifyApiKey(db.pool, key) : null;
    if (!info) throw new TripwireError('TW_API_UNAUTHORIZED');
    if (!roles.includes(info.role)) throw new TripwireError('TW_API_FORBIDDEN', { role: info.role, action, needed: roles.join(' or ') });
    request.actor = { keyId: info.id, name: info.name, role: info.role };
  };
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new TripwireError('TW_API_UNAUTHORIZED');
  return request.actor;
}
