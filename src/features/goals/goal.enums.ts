import { registerEnumType } from 'type-graphql';

/** What a goal measures; each has the definition of the PipelineMetrics figure of the same name. */
export enum GoalMetric {
  WON_VALUE = 'WON_VALUE',
  WON_COUNT = 'WON_COUNT',
  NEW_DEALS = 'NEW_DEALS',
  WIN_RATE = 'WIN_RATE',
  AVERAGE_DEAL_SIZE = 'AVERAGE_DEAL_SIZE',
  SALES_CYCLE_DAYS = 'SALES_CYCLE_DAYS',
}

registerEnumType(GoalMetric, {
  name: 'GoalMetric',
  description: 'What a goal measures over its period (deleted deals count nowhere).',
  valuesConfig: {
    WON_VALUE: { description: 'Sum of the value of the deals won (closedAt) in the period.' },
    WON_COUNT: { description: 'Deals won in the period.' },
    NEW_DEALS: { description: 'Deals created in the period.' },
    WIN_RATE: { description: 'won ÷ (won + lost), closed in the period; a fraction 0..1.' },
    AVERAGE_DEAL_SIZE: { description: 'Mean value of the deals won in the period.' },
    SALES_CYCLE_DAYS: { description: 'Mean days from createdAt to closedAt of the deals won in the period; lower is better.' },
  },
});
