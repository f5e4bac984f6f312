import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LeadSource } from '../leads/lead.enums';

export enum LeadGroupField {
  SOURCE = 'SOURCE',
  CAMPAIGN = 'CAMPAIGN',
  CREATED_MONTH = 'CREATED_MONTH',
}

registerEnumType(LeadGroupField, {
  name: 'LeadGroupField',
  description: 'What the lead funnel can be split by.',
  valuesConfig: {
    SOURCE: { description: 'The channel a lead came from.' },
    CAMPAIGN: { description: 'The campaign; leads without one form a row with campaign null.' },
    CREATED_MONTH: { description: 'Calendar month (UTC) of the lead\'s creation, YYYY-MM.' },
  },
});

@ObjectType({
  description: 'One row of the lead funnel: of the leads created in the range, how many reached each step. A lead counts at a step '
    + 'when it reached that step or a later one (a lead converted straight from NEW counts as MQL and SQL too), so every '
    + 'step holds at most the one before and every rate is a fraction 0..1; null when the step before holds no lead.',
})
export class LeadFunnelRow {
  @Field(() => LeadSource, { nullable: true, description: 'Source, when split by SOURCE.' })
  source: LeadSource | null;

  @Field(() => String, { nullable: true, description: 'Campaign, when split by CAMPAIGN (null also for leads without one).' })
  campaign: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM (UTC) of creation, when split by CREATED_MONTH.' })
  createdMonth: string | null;

  @Field(() => Int, { description: 'Leads created in the range.' })
  leads: number;

  @Field(() => Int, { description: 'Of those, leads that became MQL (qualifiedAt set) or went further.' })
  mqls: number;

  @Field(() => Int, { description: 'Of those, leads that became SQL (salesQualifiedAt set) or were converted.' })
  sqls: number;

  @Field(() => Int, { description: 'Of those, leads converted into a deal (convertedAt set).' })
  converted: number;

  @Field(() => Int, { description: 'Of those, leads whose deal is WON now (deleted deals count nowhere).' })
  won: number;

  @Field(() => Float, { nullable: true, description: 'mqls ÷ leads.' })
  mqlRate: number | null;

  @Field(() => Float, { nullable: true, description: 'sqls ÷ mqls.' })
  sqlRate: number | null;

  @Field(() => Float, { nullable: true, description: 'converted ÷ sqls.' })
  conversionRate: number | null;

  @Field(() => Float, { nullable: true, description: 'won ÷ converted.' })
  winRate: number | null;
}
