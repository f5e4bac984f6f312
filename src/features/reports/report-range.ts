import { BadInputError } from '../../infra/errors/domain-errors';
import { DateRange } from './metrics.types';

const DAY_MS = 86_400_000;

/** Length of the default range when a caller gives no `from`. */
export const DEFAULT_RANGE_DAYS = 90;

/** A range with both ends fixed: from ≤ t < to. */
export interface ResolvedRange {
  from: Date;
  to: Date;
}

function checkDate(value: Date | null | undefined, field: string): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new BadInputError(`${field} must be a valid date-time`, field);
  return value;
}

/** Fills in a report range's defaults (absent `to`: now; absent `from`: `to` minus 90 days). */
export function resolveRange(range: DateRange | null | undefined, now = new Date()): ResolvedRange {
  const to = checkDate(range?.to, 'range.to') ?? now;
  const from = checkDate(range?.from, 'range.from') ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from.getTime() > to.getTime()) throw new BadInputError('range.from must not be after range.to', 'range');
  return { from, to };
}

/**
 * The whole UTC days inside a range, as [start, end) at midnights, for reading per-day
 * tallies; the range's parts outside them (at most a day at each edge) are read row by row.
 * A range that holds no whole day gives start = end = to, so the edges cover all of it.
 *
 * A range that ends at `now` or later (the default one, ending now) takes its last day whole:
 * nothing is dated after now, so that day's tally holds exactly the part of it inside the
 * range, and today, where a busy pipeline's visits are, is not read row by row.
 */
export function wholeDays({ from, to }: ResolvedRange, now?: Date): { start: Date; end: Date } {
  const start = new Date(Math.ceil(from.getTime() / DAY_MS) * DAY_MS);
  const round = now && to.getTime() >= now.getTime() ? Math.ceil : Math.floor;
  const end = new Date(round(to.getTime() / DAY_MS) * DAY_MS);
  return start < end ? { start, end } : { start: to, end: to };
}
