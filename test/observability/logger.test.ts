import { Writable } from 'node:stream';
import { createLogger } from '../../src/infra/logger';

/** What the logger writes, as parsed JSON lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } });
  return { lines, logger: createLogger('info', stream) };
}

test('tokens, cookies, passwords, the signing secret and connection strings are redacted wherever they are logged', () => {
  const { lines, logger } = capture();
  logger.info({
    authorization: 'Bearer abc.def.ghi',
    req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'session=1', 'user-agent': 'curl/8' } },
    config: { jwtSecret: 'a-secret-of-sufficient-length', databaseUrl: 'postgres://u:pw@db/x', port: 4000 },
    connectionParams: { authorization: 'Bearer abc.def.ghi' },
    user: { password: 'hunter2', name: 'Ann' },
    token: 'abc.def.ghi',
  }, 'request');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({
    service: 'dealstream', msg: 'request',
    authorization: '[redacted]',
    req: { headers: { authorization: '[redacted]', cookie: '[redacted]', 'user-agent': 'curl/8' } },
    config: { jwtSecret: '[redacted]', databaseUrl: '[redacted]', port: 4000 },
    connectionParams: { authorization: '[redacted]' },
    user: { password: '[redacted]', name: 'Ann' },
    token: '[redacted]',
  });
  expect(JSON.stringify(lines)).not.toMatch(/abc\.def\.ghi|hunter2|pw@db|sufficient-length|session=1/);
});

test('the level filters', () => {
  const { lines, logger } = capture();
  logger.debug('not written');
  logger.warn('written');
  expect(lines.map((l) => l.msg)).toEqual(['written']);
});
