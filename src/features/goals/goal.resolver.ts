import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Pipeline } from '../pipelines/pipeline.entity';
import { User } from '../workspaces/user.entity';
import { Goal } from './goal.entity';
import { GoalProgress, SetGoalInput } from './goal.inputs';

@Resolver(() => Goal)
export class GoalResolver {
  @Mutation(() => Goal, { description: 'Creates a goal, or changes the goal named by input.id. ADMIN or MANAGER.' })
  setGoal(@Arg('input', () => SetGoalInput, { description: 'The goal.' }) input: SetGoalInput, @Ctx() ctx: Context): Promise<Goal> {
    return ctx.write((em) => ctx.services.goals.set(em, ctx.viewer, input));
  }

  @Mutation(() => Boolean, { description: 'Deletes a goal; NOT_FOUND when there is none in this workspace. ADMIN or MANAGER.' })
  deleteGoal(@Arg('id', () => ID, { description: 'The goal.' }) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.write((em) => ctx.services.goals.delete(em, ctx.viewer, id));
  }

  @Query(() => [GoalProgress], {
    description: 'Progress of the goals of the workspace, oldest period first; with pipelineId only the goals of that pipeline, '
      + 'with ownerId only the goals of that owner. Any role.',
  })
  goalProgress(
    @Arg('pipelineId', () => ID, { nullable: true, description: 'Only goals set for this pipeline.' }) pipelineId: string | null,
    @Arg('ownerId', () => ID, { nullable: true, description: 'Only goals set for this owner (user id).' }) ownerId: string | null,
    @Ctx() ctx: Context,
  ): Promise<GoalProgress[]> {
    return ctx.services.goals.progress(ctx.db, ctx.viewer, pipelineId, ownerId);
  }

  @FieldResolver(() => Pipeline, { nullable: true, description: 'The pipeline the goal is for; null: every pipeline.' })
  pipeline(@Root() goal: Goal, @Ctx() ctx: Context): Promise<Pipeline | null> | null {
    return goal.pipelineId ? ctx.loaders.pipeline.load(goal.pipelineId) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The owner the goal is for; null: every owner.' })
  owner(@Root() goal: Goal, @Ctx() ctx: Context): Promise<User | null> | null {
    return goal.ownerId ? ctx.loaders.user.load(goal.ownerId) : null;
  }
}
