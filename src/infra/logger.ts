import pino, { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'dealstream' },
    redact: { paths: ['req.headers.authorization', 'authorization', 'token', '*.authorization', '*.token'], censor: '[redacted]' },
  });
}
