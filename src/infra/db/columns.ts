import { ValueTransformer } from 'typeorm';

/** pg returns `numeric` as a string; money and probabilities become numbers at this edge. */
export const numericToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** Money: exact `numeric(14,2)` in the database, a number in the API. */
export const money = { type: 'numeric', precision: 14, scale: 2, transformer: numericToNumber } as const;
export const timestamp = { type: 'timestamptz' } as const;
export const nullableTimestamp = { type: 'timestamptz', nullable: true } as const;
