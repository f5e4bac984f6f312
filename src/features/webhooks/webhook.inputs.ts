import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { connectionTypes } from '../../infra/pagination/connection.types';
import { DealEventType } from '../deals/deal.enums';
import { Webhook } from './webhook.entity';
import { WebhookDelivery } from './webhook-delivery.entity';

@InputType({ description: 'A new webhook. ADMIN only.' })
export class CreateWebhookInput {
  @Field({
    description: 'Where events are POSTed: an https URL whose host is not a loopback, private or link-local address '
      + '(http to such an address only where the server allows private addresses).',
  })
  url: string;

  @Field(() => [DealEventType], { nullable: true, description: 'Only events of these types; absent or null: every type.' })
  eventTypes?: DealEventType[] | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Only events of deals in these pipelines of the workspace; absent or null: every pipeline.',
  })
  pipelineIds?: string[] | null;
}

@InputType({ description: 'New settings of a webhook; an absent field stays as it is. ADMIN only.' })
export class UpdateWebhookInput {
  @Field(() => String, { nullable: true, description: 'Where events are POSTed, under the same rules as at creation.' })
  url?: string | null;

  @Field(() => [DealEventType], { nullable: true, description: 'Only events of these types; null: every type.' })
  eventTypes?: DealEventType[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only events of deals in these pipelines; null: every pipeline.' })
  pipelineIds?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether events are sent; events that happen while inactive are never sent, even after reactivation.',
  })
  active?: boolean | null;
}

@ObjectType({ description: 'A webhook just created, with its signing secret: the only time the secret is shown.' })
export class CreatedWebhook {
  @Field(() => Webhook, { description: 'The webhook.' })
  webhook: Webhook;

  @Field({
    description: 'Key of the HMAC-SHA256 in the Dealstream-Signature header; store it now, it is never shown again.',
  })
  secret: string;
}

export const { Edge: WebhookDeliveryEdge, Connection: WebhookDeliveryConnection } =
  connectionTypes(WebhookDelivery, 'WebhookDelivery');
