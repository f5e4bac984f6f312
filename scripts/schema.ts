import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createSchema, printSortedSchema } from '../src/schema';

/** `schema.ts` writes schema/schema.graphql; `schema.ts --check` fails when it differs from the code. */
async function main() {
  const file = path.join(__dirname, '../schema/schema.graphql');
  const sdl = printSortedSchema(await createSchema());
  if (!process.argv.includes('--check')) {
    writeFileSync(file, sdl);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
    return;
  }
  const committed = readFileSync(file, 'utf8');
  if (committed !== sdl) {
    console.error('schema/schema.graphql differs from the schema the code builds: run `npm run schema:emit` and commit it');
    process.exit(1);
  }
  console.log('schema/schema.graphql is up to date');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
