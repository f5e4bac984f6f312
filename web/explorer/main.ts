/**
 * GraphiQL served by the API itself, from local packages: no CDN, works offline. Queries and
 * mutations go over HTTP; subscriptions over graphql-ws on the same URL, authorised with the
 * Authorization header from the headers editor.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import { createClient } from 'graphql-ws';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

interface ExplorerConfig { token?: string }

const config = JSON.parse(document.getElementById('explorer-config')?.textContent || '{}') as ExplorerConfig;
const url = new URL('/graphql', location.href).toString();
const wsUrl = url.replace(/^http/, 'ws');

/** A graphql-ws client per Authorization value, so editing the header takes effect. */
const clients = new Map<string, ReturnType<typeof createClient>>();
function wsClientFor(authorization: string) {
  let client = clients.get(authorization);
  if (!client) {
    client = createClient({ url: wsUrl, lazy: true, connectionParams: authorization ? { authorization } : {} });
    clients.set(authorization, client);
  }
  return client;
}

const httpFetcher = createGraphiQLFetcher({ url });

const fetcher: typeof httpFetcher = (params, options) => {
  const headers = (options?.headers ?? {}) as Record<string, string>;
  const isSubscription = options?.documentAST?.definitions.some((d) => d.kind === 'OperationDefinition'
    && d.operation === 'subscription' && (!params.operationName || d.name?.value === params.operationName));
  if (!isSubscription) return httpFetcher(params, options);
  const authorization = headers.Authorization ?? headers.authorization ?? '';
  return wsClientFor(authorization).iterate({ query: params.query, variables: params.variables, operationName: params.operationName ?? undefined }) as never;
};

const defaultQuery = `# Dealstream explorer: the demo admin's token is in the Headers tab below.
# Try a subscription in a second tab:
#   subscription { dealEvents(pipelineId: "<id>") { seq type deal { title } toStage { name } } }
query Board {
  pipelines {
    id
    name
    stages {
      name
      probability
      deals(first: 3) {
        totalCount
        nodes { title value }
      }
    }
    metrics {
      openDealCount
      weightedOpenValue
      winRate
      averageDealSize
      averageSalesCycleDays
      velocityPerDay
    }
  }
}
`;

createRoot(document.getElementById('graphiql')!).render(createElement(GraphiQL, {
  fetcher,
  defaultQuery,
  defaultHeaders: config.token ? JSON.stringify({ Authorization: `Bearer ${config.token}` }, null, 2) : undefined,
  shouldPersistHeaders: true,
}));
