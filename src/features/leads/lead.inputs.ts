import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { LeadSource, LeadStatus } from './lead.enums';

@InputType({ description: 'A new lead.' })
export class CreateLeadInput {
  @Field({ description: 'Name of the person or account, 1 to 200 characters.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Company name.' })
  company?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact email.' })
  email?: string | null;

  @Field(() => LeadSource, { description: 'Channel the lead came from.' })
  source: LeadSource;

  @Field(() => String, { nullable: true, description: 'Campaign that generated it.' })
  campaign?: string | null;

  @Field(() => Int, { nullable: true, description: 'Lead score, 0 to 1000.' })
  score?: number | null;

  @Field(() => ID, { nullable: true, description: 'Owner; default: the creator when a rep, else nobody.' })
  ownerId?: string | null;
}

@InputType({ description: 'Changes to a lead; absent fields stay as they are, null clears.' })
export class UpdateLeadInput {
  @Field({ nullable: true, description: 'New name.' })
  name?: string;

  @Field(() => String, { nullable: true, description: 'New company.' })
  company?: string | null;

  @Field(() => String, { nullable: true, description: 'New email.' })
  email?: string | null;

  @Field(() => LeadSource, { nullable: true, description: 'New source.' })
  source?: LeadSource;

  @Field(() => String, { nullable: true, description: 'New campaign.' })
  campaign?: string | null;

  @Field(() => Int, { nullable: true, description: 'New score.' })
  score?: number | null;

  @Field(() => ID, { nullable: true, description: 'New owner; null leaves the lead unowned.' })
  ownerId?: string | null;
}

@InputType({ description: 'The deal a lead becomes.' })
export class ConvertLeadInput {
  @Field(() => ID, { description: 'Pipeline of the new deal; it starts in the first OPEN stage.' })
  pipelineId: string;

  @Field({ description: 'Deal title.' })
  title: string;

  @Field(() => Float, { description: 'Deal value.' })
  value: number;

  @Field(() => ID, { nullable: true, description: "Deal owner; default: the lead's owner." })
  ownerId?: string | null;

  @Field({ nullable: true, description: 'When the deal is expected to close.' })
  expectedCloseDate?: Date;
}

@InputType({ description: 'Conditions a lead must all meet.' })
export class LeadFilter {
  @Field(() => LeadStatus, { nullable: true, description: 'Leads with this status.' })
  status?: LeadStatus;

  @Field(() => LeadSource, { nullable: true, description: 'Leads from this source.' })
  source?: LeadSource;

  @Field({ nullable: true, description: 'Leads of this campaign.' })
  campaign?: string;

  @Field(() => ID, { nullable: true, description: 'Leads owned by this user.' })
  ownerId?: string;

  @Field({ nullable: true, description: 'Name, company or email contains this text, ignoring case.' })
  search?: string;
}
