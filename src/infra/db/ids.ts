import { BadInputError } from '../errors/domain-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks the form of an id before it reaches SQL; a well-formed unknown id is NOT_FOUND later.
 * `what` names the thing in the message; `field` is the argument's path as the client wrote it
 * (`id`, `stageId`, `input.pipelineId`, `filter.ownerId`), for `extensions.field`.
 */
export function parseId(value: string, what: string, field: string): string {
  if (!UUID.test(value)) throw new BadInputError(`"${value}" is not a valid ${what} id`, field);
  return value.toLowerCase();
}

/** parseId for each of a list; `field` names the list argument (`stageIds`, `filter.stageIds`). */
export function parseIds(values: readonly string[], what: string, field: string): string[] {
  return values.map((v) => parseId(v, what, field));
}
