import { Field, Float, InputType, Int } from 'type-graphql';
import { StageKind } from './stage-kind';

@InputType({ description: 'One stage of a new pipeline.' })
export class StageInput {
  @Field({ description: 'Stage name, 1 to 200 characters.' })
  name: string;

  @Field(() => StageKind, { description: 'OPEN stages first, then exactly one WON and one LOST stage.' })
  kind: StageKind;

  @Field(() => Float, { description: 'Chance, 0..1, that a deal in this stage is won.' })
  probability: number;

  @Field(() => Int, { nullable: true, description: 'Days of idleness after which an open deal here is stalled.' })
  rottingAfterDays?: number | null;
}

@InputType({ description: 'A new pipeline with its stages, in order.' })
export class CreatePipelineInput {
  @Field({ description: 'Pipeline name, 1 to 200 characters.' })
  name: string;

  @Field(() => [StageInput], { description: 'Stages in order: one or more OPEN, then one WON and one LOST.' })
  stages: StageInput[];
}

@InputType({ description: 'Changes to a stage; absent fields stay as they are.' })
export class UpdateStageInput {
  @Field({ nullable: true, description: 'New name.' })
  name?: string;

  @Field(() => Float, { nullable: true, description: 'New probability, 0..1.' })
  probability?: number;

  @Field(() => Int, { nullable: true, description: 'New rotting threshold in days; null turns it off.' })
  rottingAfterDays?: number | null;
}
