import { BadInputError } from '../errors/domain-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks the form of an id before it reaches SQL; a well-formed unknown id is NOT_FOUND later. */
export function parseId(value: string, what: string): string {
  if (!UUID.test(value)) throw new BadInputError(`"${value}" is not a valid ${what} id`, what);
  return value.toLowerCase();
}

export function parseIds(values: readonly string[], what: string): string[] {
  return values.map((v) => parseId(v, what));
}
