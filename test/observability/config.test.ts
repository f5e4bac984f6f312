import { ConfigError, EMBEDDED_JWT_SECRET, loadConfig } from '../../src/config';
import { demoTokenFor } from '../../src/demo/demo-tokens';
import { Role } from '../../src/features/workspaces/role';
import { verifyToken } from '../../src/infra/auth/token';
import { UnauthenticatedError } from '../../src/infra/errors/domain-errors';

/** Configuration is read once at start; each bad value is refused with a message naming its variable. */
const pg = 'postgres://postgres@127.0.0.1:5432/dealstream';
const secret = 'a-secret-of-sufficient-length';

test.each([
  [{ PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535, got "eighty"'],
  [{ PORT: '65536' }, 'PORT must be an integer from 0 to 65535, got "65536"'],
  [{ DATABASE_URL: pg }, 'JWT_SECRET is required when DATABASE_URL is set'],
  [{ DATABASE_URL: pg, JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 16 characters'],
  [{ DATABASE_URL: 'mysql://db/x', JWT_SECRET: secret }, 'DATABASE_URL must start with postgres:// or postgresql://, got "mysql://"'],
  [{ DATABASE_URL: 'not a url', JWT_SECRET: secret }, 'DATABASE_URL must be a URL such as postgres://user@host:5432/dealstream'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
  [{ NODE_ENV: 'prod' }, 'NODE_ENV must be one of development, production, test, got "prod"'],
  [{ EXPLORER: 'maybe' }, 'EXPLORER must be true or false, got "maybe"'],
  [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE must be an integer >= 1, got "0"'],
  [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL must start with redis:// or rediss://, got "http://"'],
  [{ EVENT_RETENTION_DAYS: '0' }, 'EVENT_RETENTION_DAYS must be a number > 0 (days; decimals allowed), got "0"'],
  [{ EVENT_RETENTION_DAYS: '1e3' }, 'EVENT_RETENTION_DAYS must be a number > 0 (days; decimals allowed), got "1e3"'],
])('%j is refused: %s', (env, message) => {
  expect(() => loadConfig(env)).toThrow(new ConfigError(message));
});

test('EVENT_RETENTION_DAYS is a decimal number of days, 30 by default', () => {
  expect(loadConfig({}).realtime.retentionDays).toBe(30);
  expect(loadConfig({ EVENT_RETENTION_DAYS: '0.0003' }).realtime.retentionDays).toBe(0.0003);
});

test('the defaults give the zero-setup start: embedded database, demo, explorer, port 4000', () => {
  expect(loadConfig({})).toMatchObject({
    port: 4000, host: '127.0.0.1', databaseUrl: undefined, jwtSecret: EMBEDDED_JWT_SECRET,
    seedDemo: true, explorer: true, migrate: true, production: false, logLevel: 'info',
  });
});

test('in production the explorer is off unless EXPLORER=true, and PostgreSQL has no demo', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: pg, JWT_SECRET: secret };
  expect(loadConfig(production)).toMatchObject({ production: true, explorer: false, seedDemo: false, databaseUrl: pg });
  expect(loadConfig({ ...production, EXPLORER: 'true' }).explorer).toBe(true);
});

test.each([
  [{ NODE_ENV: 'production' }, 'JWT_SECRET is required when NODE_ENV=production: set it to a private random value of 16+ characters'],
  [{ NODE_ENV: 'production', JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 16 characters'],
  [{ NODE_ENV: 'production', JWT_SECRET: EMBEDDED_JWT_SECRET }, 'JWT_SECRET must not be the public development secret when NODE_ENV=production'],
  [{ NODE_ENV: 'production', JWT_SECRET: secret, SEED_DEMO: 'true' }, 'SEED_DEMO=true is refused with NODE_ENV=production: unset SEED_DEMO'],
])('production on the embedded database: %j is refused: %s', (env, message) => {
  expect(() => loadConfig(env)).toThrow(new ConfigError(message));
});

test('production on the embedded database has no demo and no demo activity, so no token is printed or embedded', () => {
  expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret })).toMatchObject({
    production: true, databaseUrl: undefined, jwtSecret: secret, seedDemo: false, demoActivity: false,
  });
});

test('demo tokens expire, and one signed by a development server is refused by a production secret', () => {
  const token = demoTokenFor(EMBEDDED_JWT_SECRET, Role.ANALYST);
  const { exp } = verifyToken(token, EMBEDDED_JWT_SECRET);
  expect(exp! * 1000).toBeGreaterThan(Date.now());
  expect(exp! * 1000).toBeLessThanOrEqual(Date.now() + 24 * 3600 * 1000);
  expect(() => verifyToken(token, secret)).toThrow(UnauthenticatedError);
});
