import pino, { DestinationStream, Logger } from 'pino';

/**
 * Fields that never reach the logs, wherever they appear in a logged object: bearer tokens,
 * cookies, passwords, the signing secret and connection strings (which may hold a password).
 */
export const REDACTED_PATHS = [
  'authorization', 'token', 'password', 'jwtSecret', 'databaseUrl', 'connectionString', 'cookie',
  '*.authorization', '*.Authorization', '*.token', '*.password', '*.jwtSecret', '*.databaseUrl', '*.connectionString', '*.cookie',
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'connectionParams.authorization',
];

/** JSON lines on stdout (or `destination`), one service name, secrets redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'dealstream' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
