import { registerEnumType } from 'type-graphql';

export enum DealStatus {
  OPEN = 'OPEN',
  WON = 'WON',
  LOST = 'LOST',
}

export enum DealEventType {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  MOVED = 'MOVED',
  WON = 'WON',
  LOST = 'LOST',
  REOPENED = 'REOPENED',
  DELETED = 'DELETED',
  /** Written by the stall detector, not by a write: the deal crossed its stage's rotting threshold. */
  STALLED = 'STALLED',
}

export enum DealOrderField {
  VALUE = 'VALUE',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  EXPECTED_CLOSE_DATE = 'EXPECTED_CLOSE_DATE',
  STAGE_ENTERED_AT = 'STAGE_ENTERED_AT',
  TITLE = 'TITLE',
}

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(DealStatus, { name: 'DealStatus', description: 'Whether a deal is open, won or lost.' });
registerEnumType(DealEventType, {
  name: 'DealEventType',
  description: 'What a committed change did to a deal.',
  valuesConfig: {
    STALLED: { description: 'The deal became stalled (see Deal.isStalled); once per stage visit. It changes no field and no version.' },
  },
});
registerEnumType(DealOrderField, {
  name: 'DealOrderField',
  description: 'Fields deals can be ordered by. Deals without an expected close date come last in either direction.',
});
registerEnumType(OrderDirection, { name: 'OrderDirection', description: 'Ascending or descending.' });
