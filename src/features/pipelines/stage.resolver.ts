import { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { loadDealPage } from '../deals/deal.loaders';
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
  deals(@Root() stage: Stage, @Args() args: DealListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return loadDealPage(ctx.loaders, info, 'stage_id', stage.id, args);
  }
}
