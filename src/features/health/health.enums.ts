import { registerEnumType } from 'type-graphql';

/** Why an OPEN deal needs attention; the order of the members is the order reasons are listed in. */
export enum HealthReason {
  ROTTING = 'ROTTING',
  CLOSE_DATE_PASSED = 'CLOSE_DATE_PASSED',
  NO_CLOSE_DATE = 'NO_CLOSE_DATE',
  SLIPPED = 'SLIPPED',
  NO_NEXT_STEP = 'NO_NEXT_STEP',
}

registerEnumType(HealthReason, {
  name: 'HealthReason',
  description: 'Why an OPEN deal needs attention. Closed deals have none.',
  valuesConfig: {
    ROTTING: { description: 'Stalled: idle in a stage with rottingAfterDays for longer than that (see Deal.isStalled).' },
    CLOSE_DATE_PASSED: { description: 'Its expectedCloseDate is before now.' },
    NO_CLOSE_DATE: { description: 'It has no expectedCloseDate.' },
    SLIPPED: { description: 'Its expectedCloseDate was moved to a later date at least once while OPEN (slipCount ≥ 1).' },
    NO_NEXT_STEP: { description: 'None of its activities is open (doneAt null) and due at or after now.' },
  },
});

/** Every reason, in the order a deal lists them. */
export const HEALTH_REASONS = Object.values(HealthReason);
