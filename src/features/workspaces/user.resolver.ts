import { Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { NotFoundError } from '../../infra/errors/domain-errors';
import { User } from './user.entity';
import { listUsers } from './users';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: 'The signed-in user.' })
  async me(@Ctx() ctx: Context): Promise<User> {
    const user = await ctx.loaders.user.load(ctx.viewer.userId);
    if (!user) throw new NotFoundError('user', ctx.viewer.externalId);
    return user;
  }

  @Query(() => [User], { description: 'The users of the workspace, by name (code-point order), then id; users without a name last. Any role.' })
  users(@Ctx() ctx: Context): Promise<User[]> {
    return listUsers(ctx.db, ctx.viewer);
  }
}
