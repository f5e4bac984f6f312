import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { DealConnection, DealListArgs } from '../deals/deal.types';
import { Pipeline } from './pipeline.entity';
import { Stage } from './stage.entity';

@Resolver(() => Stage)
export class StageResolver {
  @FieldResolver(() => Pipeline, { description: 'The pipeline of this stage.' })
  async pipeline(@Root() stage: Stage, @Ctx() ctx: Context): Promise<Pipeline> {
    return (await ctx.loaders.pipeline.load(stage.pipelineId))!;
  }

  @FieldResolver(() => DealConnection, { description: 'Live deals in this stage: a kanban column.' })
  deals(@Root() stage: Stage, @Args() args: DealListArgs, @Ctx() ctx: Context) {
    return ctx.loaders.dealPages.load({ parent: 'stage_id', parentId: stage.id, args: { ...args } });
  }
}
