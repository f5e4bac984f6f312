import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { StageChange } from './stage-change.entity';

@Resolver(() => StageChange)
export class StageChangeResolver {
  @FieldResolver(() => Stage, { nullable: true, description: 'The stage left; null for the first entry.' })
  fromStage(@Root() change: StageChange, @Ctx() ctx: Context): Promise<Stage | null> | null {
    return change.fromStageId ? ctx.loaders.stage.load(change.fromStageId) : null;
  }

  @FieldResolver(() => Stage, { description: 'The stage entered.' })
  async toStage(@Root() change: StageChange, @Ctx() ctx: Context): Promise<Stage> {
    return (await ctx.loaders.stage.load(change.toStageId))!;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who made the change.' })
  changedBy(@Root() change: StageChange, @Ctx() ctx: Context): Promise<User | null> | null {
    return change.changedById ? ctx.loaders.user.load(change.changedById) : null;
  }
}
