import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { FlowPages } from './flow.service';

/** How a deal moved the pipeline between two moments, in the order a waterfall shows them. */
export enum FlowKind {
  CREATED = 'CREATED',
  REOPENED = 'REOPENED',
  PULLED_IN = 'PULLED_IN',
  INCREASED = 'INCREASED',
  PUSHED_OUT = 'PUSHED_OUT',
  WON = 'WON',
  LOST = 'LOST',
  DELETED = 'DELETED',
  DECREASED = 'DECREASED',
}

registerEnumType(FlowKind, {
  name: 'FlowKind',
  description: 'How a deal moved the pipeline between two moments. In at the end only: CREATED (did not exist at the start), '
    + 'REOPENED (was WON or LOST), PULLED_IN (its close date came into the window). In at the start only: DELETED, WON, LOST, '
    + 'PUSHED_OUT (its close date left the window). In at both: INCREASED or DECREASED by the change of its value.',
});

@ObjectType({ description: 'The pipeline at one moment: its deals then and the sum of their values then.' })
export class FlowTotal {
  @Field(() => Int, { description: 'Deals in the pipeline then.' })
  dealCount: number;

  @Field(() => Float, { description: 'Sum of their values then.' })
  value: number;
}

@ObjectType({ description: 'One kind of movement between two moments: the deals that moved that way, and by how much.' })
export class FlowMovement {
  pages: FlowPages;

  @Field(() => FlowKind, { description: 'The kind of movement.' })
  kind: FlowKind;

  @Field(() => Int, { description: 'Deals that moved this way.' })
  dealCount: number;

  @Field(() => Float, {
    description: 'What they moved: the value at the end for a deal that came in, at the start for one that left, '
      + 'and the absolute change of value for INCREASED and DECREASED.',
  })
  value: number;
}

@ObjectType({
  description: 'How a pipeline changed between two moments: start + CREATED + REOPENED + PULLED_IN + INCREASED − PUSHED_OUT − '
    + 'WON − LOST − DELETED − DECREASED = end, in value exactly, and in count without INCREASED and DECREASED.',
})
export class PipelineFlow {
  @Field({ description: 'The start: every change made before it counts.' })
  from: Date;

  @Field({ description: 'The end: every change made before it counts.' })
  to: Date;

  @Field(() => FlowTotal, { description: 'The pipeline at `from`.' })
  start: FlowTotal;

  @Field(() => FlowTotal, { description: 'The pipeline at `to`.' })
  end: FlowTotal;

  @Field(() => [FlowMovement], { description: 'One per FlowKind, in the enum\'s order, zeros included.' })
  movements: FlowMovement[];
}
