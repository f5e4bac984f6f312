import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createSchema, printSortedSchema } from '../../src/schema';

const RELAY_RULES = ['relay-connection-types-spec', 'relay-connection-arguments-spec', 'relay-page-info-spec'];
const linter = path.join(__dirname, '../../node_modules/.bin/graphql-schema-linter');

async function lint(sdl: string): Promise<{ errors: { message: string; rule: string }[] }> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'schema-lint-')), 'schema.graphql');
  await writeFile(file, sdl);
  try {
    const { stdout } = await promisify(execFile)(linter, ['--rules', RELAY_RULES.join(','), '--format', 'json', file]);
    return JSON.parse(stdout);
  } catch (err) {
    // The linter exits 1 when it finds errors; its report is still on stdout.
    const stdout = (err as { stdout?: string }).stdout;
    if (!stdout) throw err;
    return JSON.parse(stdout);
  }
}

test('the schema the code emits passes the Relay connection rules of graphql-schema-linter', async () => {
  const report = await lint(printSortedSchema(await createSchema()));
  expect(report.errors).toEqual([]);
});

test('the linter does catch a connection that breaks the Relay rules', async () => {
  const report = await lint('type Query { items(first: Int): ItemConnection } type ItemConnection { nodes: [String] }');
  expect(report.errors.map((e) => e.rule)).toContain('relay-connection-types-spec');
});

test('schema descriptions state definitions themselves: none cites a document outside the repository', async () => {
  const sdl = printSortedSchema(await createSchema());
  const descriptions = [...sdl.matchAll(/"""([\s\S]*?)"""|"((?:[^"\\\n]|\\.)*)"/g)].map((m) => m[1] ?? m[2]);
  expect(descriptions.length).toBeGreaterThan(100);
  expect(descriptions.filter((d) => /CONTRACT|§|DESIGN\.md|README/i.test(d))).toEqual([]);
});
