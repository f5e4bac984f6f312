import { registerEnumType } from 'type-graphql';

export enum StageKind {
  OPEN = 'OPEN',
  WON = 'WON',
  LOST = 'LOST',
}

registerEnumType(StageKind, {
  name: 'StageKind',
  description: 'Whether deals in a stage are still being worked, won or lost.',
  valuesConfig: {
    OPEN: { description: 'Deals are being worked.' },
    WON: { description: 'The single stage of won deals.' },
    LOST: { description: 'The single stage of lost deals.' },
  },
});
