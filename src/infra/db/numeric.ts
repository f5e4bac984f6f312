/** numeric arrives from pg as text: a number at this edge, null stays null. */
export const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
