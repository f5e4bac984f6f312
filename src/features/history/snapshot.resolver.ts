import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { NotFoundError } from '../../infra/errors/domain-errors';
import { Deal } from '../deals/deal.entity';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { DealSnapshot, DealSnapshotConnection, PipelineSnapshot, StageSnapshot } from './snapshot.types';
import { askedPages, asksPagedDeals } from './asked-pages';
import { HistoryPageArgs } from './timeline.types';

/** Loads a row that must exist (the snapshot names it), else NOT_FOUND. */
async function found<T>(row: Promise<T | null>, entity: string, id: string): Promise<T> {
  const value = await row;
  if (!value) throw new NotFoundError(entity, id);
  return value;
}

@Resolver(() => PipelineSnapshot)
export class PipelineSnapshotResolver {
  @Query(() => PipelineSnapshot, {
    description: 'The open deals of a pipeline as they stood at `asOf`, per OPEN stage. Any role. NOT_FOUND for a pipeline '
      + 'of no concern to this workspace; QUERY_TOO_COMPLEX when it runs past the report time limit.',
  })
  pipelineSnapshot(
    @Arg('pipelineId', () => ID, { description: 'The pipeline.' }) pipelineId: string,
    @Arg('asOf', () => Date, { description: 'The moment: changes made before it count, later ones do not.' }) asOf: Date,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PipelineSnapshot> {
    const asked = { pages: askedPages(info, 'stages'), dealRows: asksPagedDeals(info, 'stages') };
    return ctx.services.history.snapshots.snapshot(ctx.db, ctx.viewer, pipelineId, asOf, asked);
  }

  @FieldResolver(() => Pipeline, { description: 'The pipeline.' })
  pipeline(@Root() snapshot: PipelineSnapshot, @Ctx() ctx: Context): Promise<Pipeline> {
    return found(ctx.loaders.pipeline.load(snapshot.pipelineId), 'pipeline', snapshot.pipelineId);
  }
}

@Resolver(() => StageSnapshot)
export class StageSnapshotResolver {
  @FieldResolver(() => Stage, { description: 'The stage (as it is now).' })
  stage(@Root() stage: StageSnapshot): Stage {
    return stage.stage;
  }

  @FieldResolver(() => DealSnapshotConnection, { description: 'The open deals in the stage then, by value (largest first), then deal id.' })
  deals(@Root() stage: StageSnapshot, @Args() args: HistoryPageArgs) {
    return stage.pages.load({ stageId: stage.stageId, first: args.first, after: args.after });
  }
}

@Resolver(() => DealSnapshot)
export class DealSnapshotResolver {
  @FieldResolver(() => Deal, { description: 'The deal as it is now (also after it was deleted).' })
  deal(@Root() snapshot: DealSnapshot, @Ctx() ctx: Context): Deal | Promise<Deal> {
    return snapshot.deal ?? found(ctx.loaders.dealIncludingDeleted.load(snapshot.dealId), 'deal', snapshot.dealId);
  }

  @FieldResolver(() => Stage, { description: 'The stage it was in then.' })
  stage(@Root() snapshot: DealSnapshot, @Ctx() ctx: Context): Promise<Stage> {
    return found(ctx.loaders.stage.load(snapshot.stageId), 'stage', snapshot.stageId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Its owner then.' })
  owner(@Root() snapshot: DealSnapshot, @Ctx() ctx: Context): Promise<User | null> | null {
    return snapshot.ownerId ? ctx.loaders.user.load(snapshot.ownerId) : null;
  }
}
