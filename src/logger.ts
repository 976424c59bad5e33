import { pino, type Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Structured JSON logs on stdout. Startup `options`, passwords and plan tokens are never logged:
 * the proxy logs named fields only, and these paths are redacted in case one slips into an object.
 */
export function createLogger(level: LogLevel = 'info', destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'tripwire' },
    redact: { paths: ['password', '*.password', 'options', '*.options', 'token', '*.token'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
