import type { PubSub } from 'type-graphql';

/**
 * type-graphql insists on a pub/sub once a schema has a subscription, even when every
 * subscription brings its own `subscribe` (ours read the event log through the dispatcher;
 * an in-memory pub/sub would miss other instances' changes). Nothing may use topics.
 */
export const noTopicPubSub: PubSub = {
  publish() {
    throw new Error('Subscriptions here are fed by the event log dispatcher, not by topics');
  },
  subscribe() {
    throw new Error('Subscriptions here are fed by the event log dispatcher, not by topics');
  },
};
