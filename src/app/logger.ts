import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs. Authorization headers, cookies and anything named like a secret are
 * censored wherever they appear in a log object.
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
    },
    destination as pino.DestinationStream,
  );
}
