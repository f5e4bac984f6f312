import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { NotFoundError } from '../../infra/errors/domain-errors';
import { Deal } from '../deals/deal.entity';
import { DealHealth } from './deal-health.type';

@Resolver(() => Deal)
export class DealHealthResolver {
  @FieldResolver(() => DealHealth, { description: 'Days in stage, days since the latest activity, and why the deal needs attention.' })
  async health(@Root() deal: Deal, @Ctx() ctx: Context): Promise<DealHealth> {
    const health = await ctx.loaders.dealHealth.load(deal.id);
    if (!health) throw new NotFoundError('deal', deal.id);
    return health;
  }
}
