import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER, round } from './http-log';
import { Metrics } from './metrics';

/** Counts and times one finished operation; shared by HTTP and WebSocket. */
export function recordOperation(metrics: Metrics, operation: string, type: string, durationMs: number,
  errors: readonly GraphQLFormattedError[] | undefined): { outcome: string; codes: string[] } {
  const codes = (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  const outcome = codes.length ? 'error' : 'ok';
  metrics.requestDuration.observe({ operation, type, outcome }, durationMs / 1000);
  for (const code of codes) metrics.errors.inc({ code });
  return { outcome, codes };
}

/**
 * Logs every GraphQL operation over HTTP (request id, operation name and type, duration,
 * outcome and error codes) and records it in the metrics. Errors are read from the response
 * after `formatError`, so the codes are the ones clients saw.
 */
export function observabilityPlugin(logger: Logger, metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      const requestId = request.http?.headers.get(REQUEST_ID_HEADER) ?? undefined;
      return {
        async willSendResponse({ response, operation, operationName }) {
          const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const name = metrics.operationLabel(operationName ?? request.operationName);
          const type = operation?.operation ?? 'unknown';
          const { outcome, codes } = recordOperation(metrics, name, type, durationMs, errors);
          if (logger.isLevelEnabled('info')) logger.info({ requestId, transport: 'http', operation: name, type, durationMs: round(durationMs), outcome, ...(codes.length ? { errorCodes: codes } : {}) }, 'graphql operation');
        },
      };
    },
  };
}
