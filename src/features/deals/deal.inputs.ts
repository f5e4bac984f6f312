import { Field, Float, ID, InputType } from 'type-graphql';

@InputType({ description: 'A new deal.' })
export class CreateDealInput {
  @Field(() => ID, { description: 'Pipeline of the deal.' })
  pipelineId: string;

  @Field(() => ID, { nullable: true, description: 'An OPEN stage of that pipeline; default: its first OPEN stage.' })
  stageId?: string;

  @Field({ description: 'Title, 1 to 200 characters.' })
  title: string;

  @Field(() => Float, { description: 'Value, 0 to 999,999,999,999.99; rounded to the cent.' })
  value: number;

  @Field(() => ID, { nullable: true, description: 'Owner; default: the creator when a rep, else nobody.' })
  ownerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The lead this deal comes from (one deal per lead).' })
  leadId?: string;

  @Field({ nullable: true, description: 'When the deal is expected to close.' })
  expectedCloseDate?: Date;
}

@InputType({ description: 'Changes to a deal; absent fields stay as they are, null clears.' })
export class UpdateDealInput {
  @Field({ nullable: true, description: 'New title.' })
  title?: string;

  @Field(() => Float, { nullable: true, description: 'New value.' })
  value?: number;

  @Field(() => ID, { nullable: true, description: 'New owner; null leaves the deal unowned.' })
  ownerId?: string | null;

  @Field(() => Date, { nullable: true, description: 'New expected close date; null clears it.' })
  expectedCloseDate?: Date | null;
}
