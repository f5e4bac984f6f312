import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Open deals expected to close in one calendar month or quarter (UTC).' })
export class ForecastRow {
  @Field({ description: "The month, YYYY-MM (UTC); by quarter, the quarter's first month." })
  month: string;

  @Field(() => String, { nullable: true, description: 'The quarter, YYYY-Qn (UTC), when summed by quarter; else null.' })
  quarter: string | null;

  @Field(() => Int, { description: 'Open deals whose expectedCloseDate falls in the month (by quarter: in the window\'s months of the quarter).' })
  dealCount: number;

  @Field(() => Float, { description: 'Sum of their value, exact to the cent.' })
  value: number;

  @Field(() => Float, { description: 'Sum of value × probability of their current stage.' })
  weightedValue: number;
}
