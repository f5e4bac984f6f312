import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Open deals expected to close in one calendar month (UTC).' })
export class ForecastRow {
  @Field({ description: 'The month, YYYY-MM (UTC).' })
  month: string;

  @Field(() => Int, { description: 'Open deals whose expectedCloseDate falls in the month.' })
  dealCount: number;

  @Field(() => Float, { description: 'Sum of their value, exact to the cent.' })
  value: number;

  @Field(() => Float, { description: 'Sum of value × probability of their current stage.' })
  weightedValue: number;
}
