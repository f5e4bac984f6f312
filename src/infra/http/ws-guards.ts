import type { GraphQLSchema } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { limitedOnSubscribe } from '../limits/ws-subscribe';
import { verifyWebSocketOrigin } from './origins';
import { SharedLimits } from './rate-limit';
import { SecurityConfig } from './security.config';

/** The close code for a user over the connection rate: "too many", as HTTP's 429. */
export const RATE_LIMITED_CLOSE_CODE = 4429;

/** What the guards read of the connection's viewer: who it is, for the per-user connection limit. */
type Extra = { socket: WebSocket; viewer?: { workspaceId: string; userId: string } };

/** What the WebSocket door needs from the security settings. */
export interface WebSocketGuards {
  /** For `new WebSocketServer({ verifyClient })`: a handshake from a foreign Origin gets 403. */
  verifyClient: ReturnType<typeof verifyWebSocketOrigin>;
  /** For graphql-ws `onSubscribe`: the HTTP door's query limits, errors returned per operation. */
  validate: ReturnType<typeof limitedOnSubscribe>;
  /** Adds the init timeout and the per-user connection rate limit to graphql-ws options. */
  wrap<E extends Extra>(options: ServerOptions<Record<string, unknown>, E>): ServerOptions<Record<string, unknown>, E>;
}

/**
 * The WebSocket door's guards. The connection rate is counted per user once `onConnect` has
 * authenticated them; over the rate the socket is closed with 4429 and a reason that says
 * `RATE_LIMITED` and when to retry.
 */
export function webSocketGuards(
  security: SecurityConfig, options: { schema: GraphQLSchema; production: boolean }, limits: SharedLimits,
): WebSocketGuards {
  const limiter = limits.limiter('ws', security.wsConnectionsPerMinute);
  return {
    verifyClient: verifyWebSocketOrigin(security.corsOrigins),
    validate: limitedOnSubscribe({ schema: options.schema, limits: security.queryLimits, hideSuggestions: options.production }),
    wrap: (serverOptions) => ({
      ...serverOptions,
      connectionInitWaitTimeout: security.wsInitTimeoutMs,
      onConnect: async (ctx) => {
        const accepted = await serverOptions.onConnect?.(ctx);
        const viewer = ctx.extra.viewer;
        if (accepted === false || !viewer) return accepted;
        const verdict = await limiter.consume(`user:${viewer.workspaceId}/${viewer.userId}`);
        if (verdict.allowed) return accepted;
        // Closed here with its own code; graphql-ws's 4403 for `false` then finds it closing.
        ctx.extra.socket.close(RATE_LIMITED_CLOSE_CODE, `RATE_LIMITED: too many connections; retry in ${verdict.retryAfterSeconds} s`);
        return false;
      },
    }),
  };
}
