import { BadInputError } from './errors/domain-errors';

export const MAX_NAME_LENGTH = 200;
export const MAX_TEXT_LENGTH = 2_000;
/** The largest value `numeric(14,2)` holds. */
export const MAX_MONEY = 999_999_999_999.99;

/** PostgreSQL text cannot hold NUL: refused here, with the field's name, rather than failing in the database. */
function assertStorable(text: string, field: string): void {
  if (text.includes('\u0000')) throw new BadInputError(`${field} must not contain NUL characters`, field);
}

/** A trimmed, non-empty name of at most 200 characters; null (e.g. an update clearing it) is refused. */
export function requireName(value: string | null | undefined, field: string): string {
  if (typeof value !== 'string') throw new BadInputError(`${field} is required`, field);
  assertStorable(value, field);
  const name = value.trim();
  if (!name) throw new BadInputError(`${field} must not be empty`, field);
  if (name.length > MAX_NAME_LENGTH) throw new BadInputError(`${field} must be at most ${MAX_NAME_LENGTH} characters`, field);
  return name;
}

/** Optional free text: null stays null, blank becomes null, too long is refused. */
export function optionalText(value: string | null | undefined, field: string, max = MAX_NAME_LENGTH): string | null | undefined {
  if (value === undefined || value === null) return value;
  assertStorable(value, field);
  const text = value.trim();
  if (text.length > max) throw new BadInputError(`${field} must be at most ${max} characters`, field);
  return text || null;
}

/** A user id as the API shows it (a token's `sub`), checked before it reaches SQL. */
export function userRef(value: string, field: string): string {
  assertStorable(value, field);
  if (value.length > MAX_NAME_LENGTH) throw new BadInputError(`${field} must be at most ${MAX_NAME_LENGTH} characters`, field);
  return value;
}

export function requireMoney(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0) throw new BadInputError(`${field} must be a finite amount of at least 0`, field);
  if (value > MAX_MONEY) throw new BadInputError(`${field} must be at most ${MAX_MONEY}`, field);
  return Math.round(value * 100) / 100;
}

export function requireProbability(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new BadInputError(`${field} must be between 0 and 1`, field);
  return value;
}

export function optionalWholeNumber(value: number | null | undefined, field: string, min: number, max: number) {
  if (value === undefined || value === null) return value;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadInputError(`${field} must be a whole number from ${min} to ${max}`, field);
  }
  return value;
}

export function optionalDate(value: Date | null | undefined, field: string): Date | null | undefined {
  if (value instanceof Date && Number.isNaN(value.getTime())) throw new BadInputError(`${field} is not a valid date`, field);
  return value;
}
