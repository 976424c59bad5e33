/**
 * One JSON shape for every error the admin API returns, Fastify's own included:
 * `{ "error": { "status": 400, "code": "TW_API_BAD_REQUEST", "message": "…", "details": … } }`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TripwireError, type ErrorCode } from '../errors.js';
import { asStateError } from '../state/state-db.js';

export const ERROR_SCHEMA = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['status', 'code', 'message'],
      properties: {
        status: { type: 'integer' },
        code: { type: 'string', description: 'A stable code from docs/errors.md' },
        message: { type: 'string' },
        details: {},
      },
    },
  },
} as const;

const STATUS: Partial<Record<ErrorCode, number>> = {
  TW_API_UNAUTHORIZED: 401,
  TW_API_FORBIDDEN: 403,
  TW_API_FOUR_EYES: 403,
  TW_API_BAD_REQUEST: 400,
  TW_POLICY_INVALID: 400,
  TW_API_NOT_FOUND: 404,
  TW_API_CONFLICT: 409,
  TW_RELEASE_REFUSED: 409,
  TW_NO_SIGNING_KEY: 409,
  TW_STAGING_NOT_CONFIGURED: 409,
  TW_REHEARSAL_BUSY: 409,
  TW_STAGING_BUSY: 409,
  TW_STATE_UNAVAILABLE: 503,
};

export interface ErrorBody {
  error: { status: number; code: string; message: string; details?: unknown };
}

export function errorBody(status: number, code: string, message: string, details?: unknown): ErrorBody {
  return { error: { status, code, message, ...(details !== undefined ? { details } : {}) } };
}

function fromTripwire(err: TripwireError): ErrorBody {
  const status = STATUS[err.code] ?? 500;
  return errorBody(status, err.code, err.message, err.params.details);
}

/** Fastify's validation message names the field: `body/migrations/0 must have required property 'sql'`. */
function fromValidation(err: FastifyError): ErrorBody {
  const details = (err.validation ?? []).map((v) => {
    const p = (v.params ?? {}) as { missingProperty?: string; additionalProperty?: string };
    const leaf = p.missingProperty ?? p.additionalProperty;
    const field = `${err.validationContext ?? 'body'}${v.instancePath}${leaf ? `/${leaf}` : ''}`.replace(/\//g, '.');
    return { field, message: v.message ?? 'is invalid' };
  });
  return errorBody(400, 'TW_API_BAD_REQUEST', err.message, details);
}

export function installErrorHandling(app: FastifyInstance, address: () => string): void {
  app.setErrorHandler((raw: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const err = asStateError(raw, address()) as FastifyError | TripwireError;
    let body: ErrorBody;
    if (err instanceof TripwireError) body = fromTripwire(err);
    else if (err.validation) body = fromValidation(err);
    else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) body = errorBody(err.statusCode, 'TW_API_BAD_REQUEST', err.message);
    else body = errorBody(500, 'TW_API_INTERNAL', new TripwireError('TW_API_INTERNAL', { detail: 'see the tripwire log' }).message);
    if (body.error.status >= 500) request.log.error({ err: raw }, 'admin API request failed');
    return reply.status(body.error.status).type('application/json').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const err = new TripwireError('TW_API_NOT_FOUND', { what: `route ${request.method} ${request.url.split('?')[0]}` });
    return reply.status(404).send(fromTripwire(err));
  });
}
