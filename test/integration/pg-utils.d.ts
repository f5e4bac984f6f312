/** The part of pg's internals (no types ship for it) that list-plans.test.ts uses: a parameter's text as pg sends it. */
declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown): unknown;
}
