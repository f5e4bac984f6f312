import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import madge from 'madge';

/*
 * The module graph of src/: no import cycle, and infra/ (database, GraphQL, HTTP and SQL-answer
 * machinery) imports no feature and not the demo; what it needs of them, the composition root
 * (app.ts, sql-answers.ts, loaders.ts) hands it. madge reads the graph, resolving imports as
 * TypeScript does.
 *
 * Type-only imports (`import type`, `import { type A }`, `export type … from`) are left out of
 * the cycle check (madge's `skipTypeImports`): the compiler erases them, so they cannot leave
 * a module half-initialised when another reads it. A plain `import { T }` of a type still
 * counts; write it `import type`. For infra's boundary they count too: infra names no
 * feature's type either.
 */

const ROOT = path.resolve(__dirname, '../..');

async function moduleGraph(folder: string, withTypeImports: boolean) {
  const graph = await madge(folder, {
    fileExtensions: ['ts'],
    tsConfig: path.join(ROOT, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: !withTypeImports } },
  });
  return { cycles: graph.circular(), imports: graph.obj(), unresolved: graph.warnings().skipped };
}

/** Each import from infra/ into features/ or demo/, as "importer -> imported". */
function boundaryBreaches(imports: Record<string, string[]>): string[] {
  return Object.entries(imports).filter(([file]) => file.startsWith('infra/'))
    .flatMap(([file, targets]) => targets.filter((t) => /^(features|demo)\//.test(t)).map((t) => `${file} -> ${t}`));
}

describe('the checks see what they look for', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'module-graph-'));
    const files: Record<string, string> = {
      'infra/a.ts': "import { b } from '../features/b';\nexport const a = () => b;\n",
      'features/b.ts': "import { c } from './c';\nexport const b = 1;\nexport const later = () => c;\n",
      'features/c.ts': "import { b } from './b';\nexport const c = () => b;\n",
      'features/d.ts': "import type { E } from './e';\nexport interface D { e?: E }\n",
      'features/e.ts': "import { type D } from './d';\nexport interface E { d?: D }\n",
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
      writeFileSync(path.join(folder, file), text);
    }
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('a cycle of imports is found; one of type-only imports only when they are read', async () => {
    expect((await moduleGraph(folder, false)).cycles).toEqual([['features/b.ts', 'features/c.ts']]);
    expect((await moduleGraph(folder, true)).cycles).toHaveLength(2);
  });

  test('an import from infra into a feature is found', async () => {
    expect(boundaryBreaches((await moduleGraph(folder, true)).imports)).toEqual(['infra/a.ts -> features/b.ts']);
  });
});

describe('src/', () => {
  const src = path.join(ROOT, 'src');

  test('has no import cycle (type-only imports aside)', async () => {
    const { cycles, imports, unresolved } = await moduleGraph(src, false);
    // The graph was read: every relative import resolved, and the composition root reaches the app.
    expect(unresolved.filter((name) => name.startsWith('.'))).toEqual([]);
    expect(imports['app.ts']).toEqual(expect.arrayContaining(['config.ts', 'sql-answers.ts']));
    expect(cycles).toEqual([]);
  });

  test('infra imports no feature and not the demo, not even a type', async () => {
    const { imports } = await moduleGraph(src, true);
    expect(Object.keys(imports).filter((file) => file.startsWith('infra/')).length).toBeGreaterThan(40);
    expect(boundaryBreaches(imports)).toEqual([]);
  });
});
