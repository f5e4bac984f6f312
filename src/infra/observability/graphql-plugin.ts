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

/** What is known of an HTTP operation once its response is ready. */
export interface FinishedOperation {
  requestId: string | undefined;
  /** The operation's own name, else the request's `operationName`. */
  operationName: string | null | undefined;
  type: string;
  durationMs: number;
  /** As clients see them, after `formatError`. */
  errors: readonly GraphQLFormattedError[] | undefined;
  /** Served as a known operation, outside Apollo's pipeline. */
  known?: boolean;
}

/**
 * Logs a GraphQL operation over HTTP (request id, operation name and type, duration, outcome
 * and error codes) and records it in the metrics.
 */
export function operationLogger(logger: Logger, metrics: Metrics): (finished: FinishedOperation) => void {
  return ({ requestId, operationName, type, durationMs, errors, known }) => {
    if (known) metrics.knownOperations.inc();
    const name = metrics.operationLabel(operationName);
    const { outcome, codes } = recordOperation(metrics, name, type, durationMs, errors);
    if (logger.isLevelEnabled('info')) logger.info({ requestId, transport: 'http', operation: name, type, durationMs: round(durationMs), outcome, ...(codes.length ? { errorCodes: codes } : {}) }, 'graphql operation');
  };
}

/** Apollo's seam for `finished`: errors are read from the response after `formatError`, so the codes are the ones clients saw. */
export function observabilityPlugin(finished: (operation: FinishedOperation) => void): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      const requestId = request.http?.headers.get(REQUEST_ID_HEADER) ?? undefined;
      return {
        async willSendResponse({ response, operation, operationName }) {
          finished({
            requestId,
            operationName: operationName ?? request.operationName,
            type: operation?.operation ?? 'unknown',
            durationMs: Number(process.hrtime.bigint() - started) / 1e6,
            errors: response.body.kind === 'single' ? response.body.singleResult.errors : undefined,
          });
        },
      };
    },
  };
}
