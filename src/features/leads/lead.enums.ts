import { registerEnumType } from 'type-graphql';

export enum LeadStatus {
  NEW = 'NEW',
  NURTURING = 'NURTURING',
  MQL = 'MQL',
  SQL = 'SQL',
  CONVERTED = 'CONVERTED',
  DISQUALIFIED = 'DISQUALIFIED',
}

export enum LeadSource {
  INBOUND = 'INBOUND',
  OUTBOUND = 'OUTBOUND',
  REFERRAL = 'REFERRAL',
  PAID_ADS = 'PAID_ADS',
  ORGANIC_SEARCH = 'ORGANIC_SEARCH',
  SOCIAL = 'SOCIAL',
  EMAIL = 'EMAIL',
  EVENT = 'EVENT',
  PARTNER = 'PARTNER',
  OTHER = 'OTHER',
}

registerEnumType(LeadStatus, {
  name: 'LeadStatus',
  description: 'Where a lead stands between first contact and conversion.',
  valuesConfig: {
    NEW: { description: 'Just generated, not yet worked.' },
    NURTURING: { description: 'Being nurtured until ready to qualify.' },
    MQL: { description: 'Marketing-qualified lead.' },
    SQL: { description: 'Sales-qualified lead.' },
    CONVERTED: { description: 'Converted into a deal; final.' },
    DISQUALIFIED: { description: 'Not a fit.' },
  },
});

registerEnumType(LeadSource, { name: 'LeadSource', description: 'The channel a lead came from.' });
