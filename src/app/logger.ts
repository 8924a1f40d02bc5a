import pino from 'pino';
import { redactLogLine } from '../model/log-redact.js';

export type Logger = pino.Logger;

/**
 * Structured JSON logs. Authorization headers, cookies and anything named like a secret are
 * censored wherever they appear in a log object, and credentials inside URLs in every line.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino(
    {
      level,
      base: { service: 'vigil' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          '*.password',
          '*.token',
          '*.secret',
          '*.bearer_token',
        ],
        censor: '[REDACTED]',
      },
      // Tokens in URLs (`?access_token=`, `user:pass@`) wherever they appear in a line.
      hooks: { streamWrite: redactLogLine },
    },
    destination as pino.DestinationStream,
  );
}
