import { Field, ID, InputType } from 'type-graphql';
import { ActivityType } from './activity.entity';

@InputType({ description: 'A new activity on a deal, a lead, or both.' })
export class LogActivityInput {
  @Field(() => ActivityType, { description: 'Kind of activity.' })
  type: ActivityType;

  @Field({ description: 'What it is about, 1 to 200 characters.' })
  subject: string;

  @Field({ nullable: true, description: 'When it is due.' })
  dueAt?: Date;

  @Field(() => ID, { nullable: true, description: 'The deal it belongs to.' })
  dealId?: string;

  @Field(() => ID, { nullable: true, description: 'The lead it belongs to.' })
  leadId?: string;

  @Field({ nullable: true, description: 'Already done at this time (e.g. a call that just happened); not in the future.' })
  doneAt?: Date;
}
