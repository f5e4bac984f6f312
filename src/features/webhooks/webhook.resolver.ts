import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Webhook } from './webhook.entity';
import { CreatedWebhook, CreateWebhookInput, UpdateWebhookInput, WebhookDeliveryConnection } from './webhook.inputs';

/** Webhook management; every operation answers FORBIDDEN to any role but ADMIN. */
@Resolver(() => Webhook)
export class WebhookResolver {
  @Query(() => [Webhook], { description: 'The webhooks of the workspace, oldest first. ADMIN only.' })
  webhooks(@Ctx() ctx: Context): Promise<Webhook[]> {
    return ctx.services.webhooks.list(ctx.db, ctx.viewer);
  }

  @Query(() => Webhook, {
    nullable: true, description: 'A webhook by id; NOT_FOUND when there is none in this workspace. ADMIN only.',
  })
  webhook(@Arg('id', () => ID, { description: 'The webhook.' }) id: string, @Ctx() ctx: Context): Promise<Webhook> {
    return ctx.services.webhooks.get(ctx.db, ctx.viewer, id);
  }

  @Mutation(() => CreatedWebhook, {
    description: 'Creates a webhook, sent the matching events that happen from now on; '
      + 'answers its secret, shown only this once. ADMIN only.',
  })
  async createWebhook(
    @Arg('input', () => CreateWebhookInput, { description: 'The endpoint and its filters.' }) input: CreateWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<CreatedWebhook> {
    return ctx.write((em) => ctx.services.webhooks.create(em, ctx.viewer, input));
  }

  @Mutation(() => Webhook, { description: 'Changes the URL, the filters or whether the webhook is active. ADMIN only.' })
  updateWebhook(
    @Arg('id', () => ID, { description: 'The webhook.' }) id: string,
    @Arg('input', () => UpdateWebhookInput, { description: 'What changes.' }) input: UpdateWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<Webhook> {
    return ctx.write((em) => ctx.services.webhooks.update(em, ctx.viewer, id, input));
  }

  @Mutation(() => Boolean, {
    description: 'Deletes a webhook and its delivery history; nothing more is sent to it. ADMIN only.',
  })
  deleteWebhook(@Arg('id', () => ID, { description: 'The webhook.' }) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.write((em) => ctx.services.webhooks.delete(em, ctx.viewer, id));
  }

  @Mutation(() => Webhook, {
    description: 'Sends again every matching event after `after`, in seq order, behind the deliveries already pending, '
      + 'with new delivery ids. EVENTS_EXPIRED (with extensions.oldestSeq) when an event after it was removed from the log. '
      + 'ADMIN only.',
  })
  replayWebhook(
    @Arg('id', () => ID, { description: 'The webhook.' }) id: string,
    @Arg('after', { description: 'A seq: the events after it are sent again ("0": every event kept).' }) after: string,
    @Ctx() ctx: Context,
  ): Promise<Webhook> {
    return ctx.write((em) => ctx.services.webhooks.replay(em, ctx.viewer, id, after));
  }

  @FieldResolver(() => WebhookDeliveryConnection, {
    description: 'Delivery attempts, newest first (by at: when made, or when due while PENDING); one per attempt at each event.',
  })
  deliveries(
    @Root() webhook: Webhook,
    @Arg('first', () => Int, { nullable: true, description: 'How many, 0 to 500; default 50.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.loaders.webhookDeliveries.load({ webhookId: webhook.id, first, after });
  }
}
