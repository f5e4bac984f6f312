/** How far ahead of our clock a client's "done at" may be: its clock, not its intent. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** A future doneAt would keep the deal from ever counting as stalled; what lies ahead is a dueAt. */
export const doneAtAllowed = (doneAt: Date) => doneAt.getTime() <= Date.now() + CLOCK_SKEW_MS;
