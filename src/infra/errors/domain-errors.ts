/**
 * Errors a feature throws when a request cannot be served. Each carries the stable
 * `extensions.code` clients act on; `toGraphQLError` maps them once, at the edge.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'EVENTS_EXPIRED';

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

/** Also the answer for another workspace's id: the two must be indistinguishable. */
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(entity: string, id: string) {
    super(`No ${entity} with id "${id}"`, { entity, id });
  }
}

export class BadInputError extends DomainError {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string, field?: string) {
    super(message, field ? { field } : {});
  }
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

export class QueryTooComplexError extends DomainError {
  readonly code = 'QUERY_TOO_COMPLEX';
}

/**
 * A replay asked for events the log no longer keeps (removed by retention). `oldestSeq` is
 * the oldest event kept: the client reloads its state, then subscribes without `after`.
 */
export class EventsExpiredError extends DomainError {
  readonly code = 'EVENTS_EXPIRED';
  constructor(oldestSeq: bigint) {
    super(`Events after that seq are no longer kept; the oldest kept is ${oldestSeq}. Reload, then subscribe without after`,
      { oldestSeq: oldestSeq.toString() });
  }
}

/** The DomainError `rule` throws, if any. */
export function refusal(rule: () => unknown): DomainError | undefined {
  try {
    rule();
    return undefined;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
}
