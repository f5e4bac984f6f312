import { sql } from '../helpers/database';
import { jsonText } from '../../src/infra/sql-answers/json-fields';

/**
 * The JSON text PostgreSQL writes for an answer (infra/sql-answers/json-fields.ts) is sent as
 * it comes: each value must be the very text JSON.stringify writes for it.
 */
const FLOATS = [0, -0.5, 1, 0.1, 0.01, 0.0001, 0.00009, 0.000011574074074074073, 1.5e-6, 1e-6, 9.99e-7, 1e-7, 1.25e-12,
  123.45, 150115.55, 999999999999.99, 1e15, 1.5e15, 1234567890123456.8, 1e20, 9.99e20, 1e21, 1.5e21, 1e300, -1e-7, -2.5e16,
  Number.MAX_SAFE_INTEGER, 2 ** 60, Math.PI, 1 / 3, 86399.99999, 4.9e-324];

test('floats are written as JavaScript writes them, inside and outside the ranges where PostgreSQL turns to an exponent', async () => {
  const written = await sql<{ t: string }>(`SELECT ${jsonText.float('v')} AS t FROM unnest($1::float8[]) WITH ORDINALITY u(v, n) ORDER BY n`,
    [FLOATS.map(String)]);
  expect(written.map((r) => r.t)).toEqual(FLOATS.map((f) => JSON.stringify(f)));
  const [none] = await sql<{ t: string }>(`SELECT ${jsonText.float('NULL::float8')} AS t`);
  expect(none.t).toBe('null');
});

test('a bounded numeric (numeric(14,2), numeric(5,4)) is written as JavaScript writes it without the rewriting', async () => {
  const values = ['0', '0.01', '0.5', '1', '150115.55', '999999999999.99', '0.0001', '0.1234', '100000.10'];
  const written = await sql<{ t: string }>(`SELECT ${jsonText.float('v', true)} AS t FROM unnest($1::numeric[]) WITH ORDINALITY u(v, n) ORDER BY n`,
    [values]);
  expect(written.map((r) => r.t)).toEqual(values.map((v) => JSON.stringify(Number(v))));
});

test('text is escaped as JSON.stringify escapes it; integers, booleans and constants as JSON writes them', async () => {
  const texts = ['plain', 'quote " and \\ backslash', 'tab\there\nnewline\r\u0001\u001f\u007f', 'ünïcödé ✓ 😀', "it's", '\u2028\u2029', ''];
  const written = await sql<{ t: string }>(`SELECT ${jsonText.string('v')} AS t FROM unnest($1::text[]) WITH ORDINALITY u(v, n) ORDER BY n`, [texts]);
  expect(written.map((r) => r.t)).toEqual(texts.map((v) => JSON.stringify(v)));
  const [row] = await sql<Record<string, string>>(`SELECT ${jsonText.plain('42')} AS i, ${jsonText.plain('-7::int')} AS n, ${jsonText.plain('true')} AS b,
    ${jsonText.plain('NULL::int')} AS none, ${jsonText.string('NULL::text')} AS no_text, ${jsonText.literal("it's \"x\"")} AS literal`);
  expect(row).toEqual({ i: '42', n: '-7', b: 'true', none: 'null', no_text: 'null', literal: JSON.stringify("it's \"x\"") });
});
