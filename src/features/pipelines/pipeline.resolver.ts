import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { parseId } from '../../infra/db/ids';
import { NotFoundError } from '../../infra/errors/domain-errors';
import { primeBoard } from './board.prime';
import { loadDealPage } from '../deals/deal.loaders';
import { DealConnection, DealListArgs } from '../deals/deal.types';
import { CreatePipelineInput, UpdateStageInput } from './pipeline.inputs';
import { Pipeline } from './pipeline.entity';
import { Stage } from './stage.entity';

@Resolver(() => Pipeline)
export class PipelineResolver {
  @Query(() => [Pipeline], { description: 'Every pipeline of the workspace, oldest first.' })
  pipelines(@Ctx() ctx: Context): Promise<Pipeline[]> {
    return ctx.services.pipelines.list(ctx.db, ctx.viewer);
  }

  @Query(() => Pipeline, { nullable: true, description: 'A pipeline by id; NOT_FOUND when there is none in this workspace.' })
  async pipeline(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Pipeline> {
    await primeBoard(ctx, info, parseId(id, 'pipeline', 'id'));
    const pipeline = await ctx.loaders.pipeline.load(parseId(id, 'pipeline', 'id'));
    if (!pipeline) throw new NotFoundError('pipeline', id);
    return pipeline;
  }

  @FieldResolver(() => [Stage], { description: 'Stages in order of position.' })
  stages(@Root() pipeline: Pipeline, @Ctx() ctx: Context): Promise<Stage[]> {
    return ctx.loaders.stagesOfPipeline.load(pipeline.id);
  }

  @FieldResolver(() => DealConnection, { description: 'Live deals of this pipeline.' })
  deals(@Root() pipeline: Pipeline, @Args() args: DealListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return loadDealPage(ctx.loaders, info, 'pipeline_id', pipeline.id, args);
  }

  @Mutation(() => Pipeline, { description: 'Creates a pipeline with its stages, in order. ADMIN or MANAGER.' })
  createPipeline(@Arg('input') input: CreatePipelineInput, @Ctx() ctx: Context): Promise<Pipeline> {
    return ctx.write((em) => ctx.services.pipelines.create(em, ctx.viewer, input));
  }

  @Mutation(() => Stage, { description: "Renames a stage or changes its probability or rotting threshold. ADMIN or MANAGER." })
  updateStage(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateStageInput, @Ctx() ctx: Context): Promise<Stage> {
    return ctx.write((em) => ctx.services.pipelines.updateStage(em, ctx.viewer, id, input));
  }

  @Mutation(() => Pipeline, { description: 'Puts the stages of a pipeline in the order given (every stage, once). ADMIN or MANAGER.' })
  reorderStages(
    @Arg('pipelineId', () => ID) pipelineId: string,
    @Arg('stageIds', () => [ID]) stageIds: string[],
    @Ctx() ctx: Context,
  ): Promise<Pipeline> {
    return ctx.write((em) => ctx.services.pipelines.reorderStages(em, ctx.viewer, pipelineId, stageIds));
  }
}
