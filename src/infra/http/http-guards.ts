import express, { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import { queryLimitRules } from '../limits';
import { bodyErrors, NodeMiddleware, rateLimitRequests } from './guards';
import { corsFromAllowList } from './origins';
import { SharedLimits } from './rate-limit';
import { SecurityConfig } from './security.config';
import { statusForAccept } from './status-for-accept';
import { unavailableStatus } from './database-unavailable';

/** What the HTTP door needs from the security settings, ready to plug into express and Apollo. */
export interface HttpGuards {
  /** CORS for `/graphql`: mount it before any other route of that path, so that it answers preflights. */
  cors: RequestHandler & NodeMiddleware;
  /** Requests per caller and minute; refused ones get 429. */
  rateLimit: NodeMiddleware;
  /** For express's `/graphql`, in order: rate limit, JSON body within the limit, body errors as 413/400. */
  middleware: (RequestHandler | ErrorRequestHandler)[];
  /** The JSON body limit (413 beyond). */
  maxBodyBytes: number;
  /** Spread into the ApolloServer options. */
  apolloOptions: {
    validationRules: ValidationRule[];
    hideSchemaDetailsFromClientErrors: boolean;
    csrfPrevention: true;
    allowBatchedHttpRequests: false;
  };
  /** Apollo plugins of the HTTP door. */
  plugins: ApolloServerPlugin[];
}

/**
 * The HTTP door's guards. Apollo already refuses mutations over GET (405); CSRF prevention
 * (a preflight-forcing header on GETs and simple POSTs) and refusing batches are stated
 * here so that they cannot be switched off by accident.
 */
export function httpGuards(
  security: SecurityConfig, options: { jwtSecret: string; production: boolean }, limits: SharedLimits,
): HttpGuards {
  // One limiter for both doors (the GraphQL door and express), so a caller has one budget.
  const rateLimit = rateLimitRequests(limits.limiter('http', security.httpPerMinute), options.jwtSecret);
  return {
    cors: corsFromAllowList(security.corsOrigins),
    rateLimit,
    middleware: [rateLimit, express.json({ limit: security.maxBodyBytes }), bodyErrors(security.maxBodyBytes)],
    maxBodyBytes: security.maxBodyBytes,
    apolloOptions: {
      validationRules: queryLimitRules(security.queryLimits),
      hideSchemaDetailsFromClientErrors: options.production,
      csrfPrevention: true,
      allowBatchedHttpRequests: false,
    },
    plugins: [statusForAccept, unavailableStatus],
  };
}
