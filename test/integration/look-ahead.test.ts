import { buildSchema, execute, GraphQLObjectType, parse } from 'graphql';
import { Selection } from '../../src/infra/graphql/selection';

/**
 * The look-ahead must see below a field exactly what graphql-js then executes there, for every
 * spelling of a query. Each case runs a document through graphql-js on a small schema whose
 * `board` resolver records what its look-ahead saw; the answer then shows what was executed.
 */
const schema = buildSchema(`
  interface Named { name: String }
  type Person implements Named { id: ID name: String }
  type Card implements Named { id: ID name: String value: Float owner: Person }
  type Column { id: ID name: String cards(first: Int = 20, status: String): [Card] }
  type Board { id: ID name: String columns: [Column] }
  type Query { board: Board }
`);

type Seen = { board: string[]; columns: string[]; cards: string[]; cardArgs: unknown[] };
let seen: Seen;

const card = (n: number) => ({ id: `c${n}`, name: `Card ${n}`, value: n, owner: { id: 'p1', name: 'Ann' } });
(schema.getType('Query') as GraphQLObjectType).getFields().board.resolve = (_root, _args, _ctx, info) => {
  const board = Selection.of(info);
  const columns = board.down('columns');
  const cards = columns.down('cards');
  seen = {
    board: board.fields.map((f) => f.key),
    columns: columns.fields.map((f) => f.key),
    cards: cards.fields.map((f) => f.key),
    cardArgs: columns.named('cards').map((f) => f.args()),
  };
  return { id: 'b1', name: 'Board', columns: [{ id: 's1', name: 'Lead in', cards: () => [card(1), card(2)] }] };
};

function run(document: string, variableValues: Record<string, unknown> = {}) {
  const result = execute({ schema, document: parse(document), variableValues }) as { data: any; errors?: unknown };
  expect(result.errors).toBeUndefined();
  const board = result.data.board;
  const keysOf = (object: Record<string, unknown>) => Object.keys(object);
  const column = board.columns?.[0] ?? {};
  // Every list of cards under the column (aliased lists too): the keys their cards answer.
  const lists = Object.values(column).filter((v): v is Record<string, unknown>[] => Array.isArray(v));
  return { board: keysOf(board), columns: keysOf(column), cards: new Set(lists.flatMap((list) => keysOf(list[0]))) };
}

const cases: [string, string, Record<string, unknown>][] = [
  ['plain fields', '{ board { id name columns { id cards { id name value } } } }', {}],
  ['named fragments and a default variable', `query($n: Int = 5) { board { ...B } }
    fragment B on Board { id columns { ...C } } fragment C on Column { name cards(first: $n) { ...Card } }
    fragment Card on Card { id value owner { name } }`, {}],
  ['inline fragments with type conditions on an interface', `{ board { columns { cards {
    ... on Named { name } ... on Card { id } } } } }`, {}],
  ['aliases', '{ board { key: id columns { open: cards(status: "OPEN") { id } won: cards(status: "WON") { id worth: value } } } }', {}],
  ['@include and @skip with variables', `query($yes: Boolean!, $no: Boolean!) { board { id @skip(if: $yes) name @include(if: $yes)
    columns @include(if: $yes) { id @include(if: $no) cards { id value @skip(if: $no) name @skip(if: $yes) } } } }`,
  { yes: true, no: false }],
  ['a fragment skipped as a whole', `query($no: Boolean = false) { board { id ... on Board @include(if: $no) { name columns { id } } } }`, {}],
  ['duplicates merged by response key', '{ board { columns { id } columns { name cards { id } } columns { cards { value } } } }', {}],
  ['__typename only below', '{ board { __typename columns { __typename cards { __typename } } } }', {}],
];

test.each(cases)('the look-ahead sees what graphql-js executes: %s', (_name, document, variables) => {
  const executed = run(document, variables);
  expect(seen.board).toEqual(executed.board);
  expect(seen.columns).toEqual(executed.columns);
  // Aliased lists merge below: every key any of them executes.
  expect(new Set(seen.cards)).toEqual(executed.cards);
});

test('arguments are read as the resolver receives them: variables, defaults and aliases', () => {
  run('query($n: Int = 5) { board { columns { a: cards(first: $n) { id } b: cards(status: "WON") { id } } } }');
  expect(seen.cardArgs).toEqual([{ first: 5 }, { first: 20, status: 'WON' }]);
  run('query($n: Int = 5) { board { columns { a: cards(first: $n) { id } } } }', { n: 7 });
  expect(seen.cardArgs).toEqual([{ first: 7 }]);
});

test('the same parsed document answers each request with its own variables', () => {
  const document = parse('query($yes: Boolean!) { board { id name @include(if: $yes) } }');
  for (const yes of [true, false, true]) {
    execute({ schema, document, variableValues: { yes } });
    expect(seen.board).toEqual(yes ? ['id', 'name'] : ['id']);
  }
});
