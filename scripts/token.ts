import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config';
import { DEMO_WORKSPACE, demoTokenFor } from '../src/demo/demo-tokens';
import { signToken } from '../src/infra/auth/token';
import { Role } from '../src/features/workspaces/role';

const USAGE = `Usage: npm run token -- [--role ADMIN|MANAGER|REP|ANALYST] [--workspace demo] [--sub user-id] [--name "Ann"] [--expires 12h]

Prints a token signed with JWT_SECRET (or, without DATABASE_URL, the embedded development
secret). Without --workspace and --sub it is a token of the demo workspace.`;

/** `npm run token -- --role ANALYST`: prints a bearer token for trying the API. */
function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'ADMIN' }, workspace: { type: 'string' }, sub: { type: 'string' },
      name: { type: 'string' }, expires: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  const role = values.role!.toUpperCase();
  if (!(Object.values(Role) as string[]).includes(role)) {
    throw new ConfigError(`--role must be one of ${Object.values(Role).join(', ')}, got "${values.role}"`);
  }
  const { jwtSecret } = loadConfig();
  if (!values.workspace && !values.sub && !values.expires) return console.log(demoTokenFor(jwtSecret, role as Role));
  const sub = values.sub ?? `${role.toLowerCase()}-cli`;
  const claims = { sub, wid: values.workspace ?? DEMO_WORKSPACE, role: role as Role, name: values.name ?? sub };
  console.log(signToken(claims, jwtSecret, values.expires as never));
}

try {
  main();
} catch (err) {
  console.error(err instanceof ConfigError ? `Error: ${err.message}\n\n${USAGE}` : err);
  process.exit(1);
}
