import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Deal } from '../deals/deal.entity';
import { Lead } from '../leads/lead.entity';
import { User } from '../workspaces/user.entity';
import { Activity } from './activity.entity';
import { ActivityLogged } from './activity.writes';
import { LogActivityInput } from './activity.inputs';

/** The activity as the answer, with the deal its statement moved primed for the answer's `deal` (loaders begin afresh after a write). */
function answered(ctx: Context, { activity, deal }: ActivityLogged): Activity {
  if (deal) ctx.loaders.deal.prime(deal.id, deal);
  return activity;
}

@Resolver(() => Activity)
export class ActivityResolver {
  @Mutation(() => Activity, { description: "Logs an activity on a deal or a lead, owned by the caller; a deal's lastActivityAt follows. A rep logs only on deals and leads it owns or that are unowned." })
  async logActivity(@Arg('input') input: LogActivityInput, @Ctx() ctx: Context): Promise<Activity> {
    return answered(ctx, await ctx.writeOne((em) => ctx.services.activities.log(em, ctx.viewer, input)));
  }

  @Mutation(() => Activity, { description: 'Marks an activity done now.' })
  async completeActivity(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Activity> {
    return answered(ctx, await ctx.writeOne((em) => ctx.services.activities.complete(em, ctx.viewer, id)));
  }

  @FieldResolver(() => Deal, { nullable: true, description: 'The deal it belongs to.' })
  deal(@Root() activity: Activity, @Ctx() ctx: Context): Promise<Deal | null> | null {
    return activity.dealId ? ctx.loaders.deal.load(activity.dealId) : null;
  }

  @FieldResolver(() => Lead, { nullable: true, description: 'The lead it belongs to.' })
  lead(@Root() activity: Activity, @Ctx() ctx: Context): Promise<Lead | null> | null {
    return activity.leadId ? ctx.loaders.lead.load(activity.leadId) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who logged it.' })
  owner(@Root() activity: Activity, @Ctx() ctx: Context): Promise<User | null> | null {
    return activity.ownerId ? ctx.loaders.user.load(activity.ownerId) : null;
  }
}
