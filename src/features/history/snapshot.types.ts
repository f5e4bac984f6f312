import { Field, Float, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../../infra/pagination/connection.types';
import { DealStatus } from '../deals/deal.enums';
import type { Deal } from '../deals/deal.entity';
import type { Stage } from '../pipelines/stage.entity';
import type { SnapshotPages } from './snapshot.service';

@ObjectType({ description: 'A deal as it stood at a past moment: its fields then; `deal` is the deal as it is now.' })
export class DealSnapshot {
  dealId: string;
  /** The deal as it is now, read with the page (absent: the `deal` field loads it). */
  deal?: Deal;
  stageId: string;
  ownerId: string | null;

  @Field({ description: 'Its title then.' })
  title: string;

  @Field(() => DealStatus, { description: 'Its status then (OPEN in a snapshot).' })
  status: DealStatus;

  @Field(() => Float, { description: 'Its value then.' })
  value: number;

  @Field(() => Date, { nullable: true, description: 'Its expected close date then.' })
  expectedCloseDate: Date | null;

  @Field({ description: 'When it had entered the stage it was in then.' })
  stageEnteredAt: Date;
}

export const { Edge: DealSnapshotEdge, Connection: DealSnapshotConnection } = connectionTypes(DealSnapshot, 'DealSnapshot');

@ObjectType({ description: 'An OPEN stage as it stood at a past moment: the open deals in it then.' })
export class StageSnapshot {
  stageId: string;
  /** The stage as it is now, read with the figures. */
  stage: Stage;
  pages: SnapshotPages;

  @Field(() => Int, { description: 'Open deals in the stage then.' })
  dealCount: number;

  @Field(() => Float, { description: 'Sum of their values then.' })
  value: number;

  @Field(() => Float, { description: "Sum of their values then, each times the stage's current probability." })
  weightedValue: number;
}

@ObjectType({ description: 'A pipeline as it stood at a past moment: its open deals then, per OPEN stage in position order.' })
export class PipelineSnapshot {
  pipelineId: string;

  @Field({ description: 'The moment: every change made before it counts, none made at or after it.' })
  asOf: Date;

  @Field(() => Int, { description: 'Deals of the pipeline that were OPEN then.' })
  openDealCount: number;

  @Field(() => Float, { description: 'Sum of their values then.' })
  openValue: number;

  @Field(() => Float, { description: "Sum of their values then, each times its stage's current probability." })
  weightedOpenValue: number;

  @Field(() => [StageSnapshot], { description: 'The OPEN stages in position order, each with its deals then.' })
  stages: StageSnapshot[];
}
