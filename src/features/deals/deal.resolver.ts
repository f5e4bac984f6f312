import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { parseId } from '../../infra/db/ids';
import { NotFoundError } from '../../infra/errors/domain-errors';
import { Activity } from '../activities/activity.entity';
import { primeDealList } from './deal-list.prime';
import { primeDealDetail } from './deal-detail.prime';
import { Lead } from '../leads/lead.entity';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { Deal } from './deal.entity';
import { CreateDealInput, UpdateDealInput } from './deal.inputs';
import { DealWritten } from './deal.ledger';
import { loadDealPage } from './deal.loaders';
import { DealConnection, DealListArgs } from './deal.types';
import { StageChange } from './stage-change.entity';
import { isStalled } from './stalled';

/** A written deal as the answer, its stage and owner (read by the write's own statement) primed for the answer's fields. */
async function answer(ctx: Context, written: Promise<DealWritten>): Promise<Deal> {
  const { deal, stage, owner } = await written;
  ctx.loaders.stage.prime(stage.id, stage);
  if (owner) ctx.loaders.user.prime(owner.id, owner);
  return deal;
}

const expectedVersionDoc = { nullable: true, description: 'The version the client last saw; CONFLICT when the deal has moved on.' };

@Resolver(() => Deal)
export class DealResolver {
  @Query(() => Deal, { nullable: true, description: 'A live deal by id; NOT_FOUND when there is none in this workspace.' })
  async deal(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Deal> {
    await primeDealDetail(ctx, info, parseId(id, 'deal', 'id'));
    const deal = await ctx.loaders.deal.load(parseId(id, 'deal', 'id'));
    if (!deal) throw new NotFoundError('deal', id);
    return deal;
  }

  @Query(() => DealConnection, { description: 'Live deals of the workspace, filtered, ordered and paged.' })
  async deals(@Args() args: DealListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    await primeDealList(ctx, info, args);
    return loadDealPage(ctx.loaders, info, 'workspace_id', ctx.viewer.workspaceId, args);
  }

  @Mutation(() => Deal, { description: 'Creates a deal in an OPEN stage (default: the first).' })
  createDeal(@Arg('input') input: CreateDealInput, @Ctx() ctx: Context): Promise<Deal> {
    return answer(ctx, ctx.writeOne((em) => ctx.services.deals.create(em, ctx.viewer, input)));
  }

  @Mutation(() => Deal, { description: 'Changes title, value, owner or expected close date. An edit to the values the deal has already is no change: no version, no event.' })
  updateDeal(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateDealInput,
    @Arg('expectedVersion', () => Int, expectedVersionDoc) expectedVersion: number | null,
    @Ctx() ctx: Context,
  ): Promise<Deal> {
    return answer(ctx, ctx.writeOne((em) => ctx.services.deals.update(em, ctx.viewer, id, input, expectedVersion)));
  }

  @Mutation(() => Deal, {
    description: 'Moves a deal to a stage of its pipeline: into WON wins it, out of a closed stage reopens it; LOST needs loseDeal.',
  })
  moveDeal(
    @Arg('id', () => ID) id: string,
    @Arg('stageId', () => ID) stageId: string,
    @Arg('expectedVersion', () => Int, expectedVersionDoc) expectedVersion: number | null,
    @Ctx() ctx: Context,
  ): Promise<Deal> {
    return answer(ctx, ctx.writeOne((em) => ctx.services.deals.move(em, ctx.viewer, id, stageId, expectedVersion)));
  }

  @Mutation(() => Deal, { description: "Wins a deal: into the pipeline's WON stage, closedAt set." })
  winDeal(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, expectedVersionDoc) expectedVersion: number | null,
    @Ctx() ctx: Context,
  ): Promise<Deal> {
    return answer(ctx, ctx.writeOne((em) => ctx.services.deals.win(em, ctx.viewer, id, expectedVersion)));
  }

  @Mutation(() => Deal, { description: "Loses a deal for a reason: into the pipeline's LOST stage, closedAt set." })
  loseDeal(
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
    @Arg('expectedVersion', () => Int, expectedVersionDoc) expectedVersion: number | null,
    @Ctx() ctx: Context,
  ): Promise<Deal> {
    return answer(ctx, ctx.writeOne((em) => ctx.services.deals.lose(em, ctx.viewer, id, reason, expectedVersion)));
  }

  @Mutation(() => Deal, { description: 'Reopens a closed deal into `stageId`, or else the last OPEN stage it was in.' })
  reopenDeal(
    @Arg('id', () => ID) id: string,
    @Arg('stageId', () => ID, { nullable: true, description: 'An OPEN stage of the pipeline.' }) stageId: string | null,
    @Arg('expectedVersion', () => Int, expectedVersionDoc) expectedVersion: number | null,
    @Ctx() ctx: Context,
  ): Promise<Deal> {
    // Into a named stage it is one statement; to the last OPEN stage it reads the history under a lock first.
    const write = stageId ? ctx.writeOne.bind(ctx) : ctx.write.bind(ctx);
    return answer(ctx, write((em) => ctx.services.deals.reopen(em, ctx.viewer, id, stageId, expectedVersion)));
  }

  @Mutation(() => Boolean, { description: 'Deletes a deal: it counts nowhere any more.' })
  deleteDeal(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, expectedVersionDoc) expectedVersion: number | null,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return ctx.writeOne((em) => ctx.services.deals.delete(em, ctx.viewer, id, expectedVersion));
  }

  @FieldResolver(() => Pipeline, { description: 'The pipeline of the deal.' })
  async pipeline(@Root() deal: Deal, @Ctx() ctx: Context): Promise<Pipeline> {
    return (await ctx.loaders.pipeline.load(deal.pipelineId))!;
  }

  @FieldResolver(() => Stage, { description: 'The stage the deal is in.' })
  async stage(@Root() deal: Deal, @Ctx() ctx: Context): Promise<Stage> {
    return (await ctx.loaders.stage.load(deal.stageId))!;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who owns the deal; null: unowned.' })
  owner(@Root() deal: Deal, @Ctx() ctx: Context): Promise<User | null> | null {
    return deal.ownerId ? ctx.loaders.user.load(deal.ownerId) : null;
  }

  @FieldResolver(() => Lead, { nullable: true, description: 'The lead the deal came from.' })
  lead(@Root() deal: Deal, @Ctx() ctx: Context): Promise<Lead | null> | null {
    return deal.leadId ? ctx.loaders.lead.load(deal.leadId) : null;
  }

  @FieldResolver(() => [StageChange], { description: 'Every stage the deal entered, oldest first; the first has no fromStage.' })
  history(@Root() deal: Deal, @Ctx() ctx: Context): Promise<StageChange[]> {
    return ctx.loaders.historyOfDeal.load(deal.id);
  }

  @FieldResolver(() => [Activity], { description: 'Activities on the deal, oldest first.' })
  activities(@Root() deal: Deal, @Ctx() ctx: Context): Promise<Activity[]> {
    return ctx.loaders.activitiesOfDeal.load(deal.id);
  }

  @FieldResolver(() => Boolean, {
    description: 'OPEN, in a stage with rottingAfterDays, and idle longer than that: now minus the later of stageEnteredAt and lastActivityAt.',
  })
  async isStalled(@Root() deal: Deal, @Ctx() ctx: Context): Promise<boolean> {
    const stage = await ctx.loaders.stage.load(deal.stageId);
    return stage ? isStalled(deal, stage) : false;
  }
}
