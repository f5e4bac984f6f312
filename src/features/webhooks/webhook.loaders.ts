import DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { hydrate } from '../../infra/db/rows';
import { Page } from '../../infra/pagination/connection.types';
import { pageSize } from '../../infra/pagination/cursor';
import { countPerParent, fetchPages, KeysetQuery, toPage } from '../../infra/pagination/keyset';
import { Viewer } from '../workspaces/viewer';
import { WebhookDelivery } from './webhook-delivery.entity';

/** A page of one webhook's deliveries; the webhook was read within the viewer's workspace. */
export interface DeliveryPageKey {
  webhookId: string;
  first: number | null;
  after: string | null;
}

function deliveryQuery(viewer: Viewer, first: number | null, after: string | null): KeysetQuery {
  return {
    table: 'webhook_deliveries', parentColumn: 'webhook_id', parentType: 'uuid', where: () => [],
    sort: [{ sql: 't.at', cast: 'timestamptz', descending: true }, { sql: 't.id', cast: 'bigint', descending: true }],
    list: 'newest',
    workspaceId: viewer.workspaceId, first: pageSize(first), after,
  };
}

/** Delivery pages of every webhook a request lists, one statement per distinct (first, after). */
export function createWebhookLoaders(em: EntityManager, viewer: Viewer) {
  const cacheKeyFn = (key: DeliveryPageKey) => JSON.stringify(key);
  const counts = new DataLoader<DeliveryPageKey, number, string>(async (keys) => {
    const all = await countPerParent(em, deliveryQuery(viewer, null, null), keys.map((k) => k.webhookId));
    return keys.map((key) => all.get(key.webhookId) ?? 0);
  }, { cacheKeyFn });
  const webhookDeliveries = new DataLoader<DeliveryPageKey, Page<WebhookDelivery>, string>(async (keys) => {
    const results = new Map<string, Page<WebhookDelivery>>();
    const groups = new Map<string, DeliveryPageKey[]>();
    for (const key of keys) {
      const args = JSON.stringify([key.first, key.after]);
      groups.set(args, [...(groups.get(args) ?? []), key]);
    }
    for (const group of groups.values()) {
      const query = deliveryQuery(viewer, group[0].first, group[0].after);
      const pages = await fetchPages(em, query, group.map((k) => k.webhookId));
      for (const key of group) {
        const toNode = (row: Record<string, unknown>) => hydrate(em, WebhookDelivery, row);
        results.set(cacheKeyFn(key), toPage(pages.get(key.webhookId)!, toNode, key.after, () => counts.load(key)));
      }
    }
    return keys.map((key) => results.get(cacheKeyFn(key))!);
  }, { cacheKeyFn });
  return { webhookDeliveries };
}
