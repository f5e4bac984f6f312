import { DataSource, EntityManager } from 'typeorm';
import { Claims, verifyToken } from './infra/auth/token';
import { DomainError, UnauthenticatedError } from './infra/errors/domain-errors';
import { createLoaders, Loaders } from './loaders';
import { Services } from './services';
import { Viewer } from './features/workspaces/viewer';

/** What every resolver gets: who asks, the request's loaders, the services and a way to write. */
export interface Context {
  /** The caller; reading it without a valid token throws UNAUTHENTICATED. */
  readonly viewer: Viewer;
  readonly loaders: Loaders;
  readonly services: Services;
  /** The manager for reads outside a transaction. */
  readonly db: EntityManager;
  /** Runs `work` as one transaction; the request's loaders start afresh after it commits. */
  write<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
  /**
   * Runs `work`, whose one write is a single SQL statement, as that statement's own transaction:
   * no BEGIN and COMMIT round trips. Besides it, `work` may only read (an id to resolve, the
   * reason of a refusal). With a `beforeWrite` step to run, it runs as `write` does.
   */
  writeOne<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
  /** Adds a step that runs first in every transaction `write` opens for this request (an Idempotency-Key claim). */
  beforeWrite(step: (em: EntityManager) => Promise<void>): void;
  /** The event log's seq that a subscription made `after` it misses no event committed since this call (`Realtime.deliveredSeq`). */
  deliveredSeq(): Promise<bigint>;
}

export interface ContextDeps {
  dataSource: DataSource;
  services: Services;
  /** Called after every committed write. */
  afterCommit?: () => void;
  /** `Context.deliveredSeq`: the app's realtime side answers it. */
  deliveredSeq?: () => Promise<bigint>;
}

/**
 * Builds a request's context from its bearer token. A request without a valid token still
 * gets a context, so that introspection and `__typename` work; the first resolver that needs
 * the viewer answers UNAUTHENTICATED.
 */
export async function createContext(deps: ContextDeps, token: string | undefined, secret: string): Promise<Context> {
  let viewer: Viewer | undefined;
  // Made only when needed: an error captures a stack trace, which a signed-in request would pay for nothing.
  let failure: DomainError | undefined;
  if (token) {
    let claims: Claims | undefined;
    try {
      claims = verifyToken(token, secret);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      failure = err;
    }
    if (claims) viewer = await deps.services.identity.viewerFor(claims);
  }
  return contextFor(deps, viewer, viewer ? undefined : failure ?? new UnauthenticatedError('Sign in: send a bearer token in the Authorization header'));
}

export function contextFor(deps: ContextDeps, viewer: Viewer | undefined, failure?: DomainError): Context {
  return new RequestContext(deps, viewer, failure);
}

/**
 * A class, not an object literal: Apollo copies the context's own properties, and the
 * getters below must stay lazy (on the prototype) so that a request without a token can
 * still introspect.
 */
class RequestContext implements Context {
  readonly services: Services;
  readonly db: EntityManager;
  private currentLoaders?: Loaders;
  private readonly writeSteps: ((em: EntityManager) => Promise<void>)[] = [];

  constructor(private readonly deps: ContextDeps, private readonly knownViewer?: Viewer, private readonly failure?: DomainError) {
    this.services = deps.services;
    this.db = deps.dataSource.manager;
  }

  beforeWrite(step: (em: EntityManager) => Promise<void>): void {
    this.writeSteps.push(step);
  }

  get viewer(): Viewer {
    if (!this.knownViewer) throw this.failure ?? new UnauthenticatedError('Sign in first');
    return this.knownViewer;
  }

  get loaders(): Loaders {
    this.currentLoaders ??= createLoaders(this.db, this.viewer);
    return this.currentLoaders;
  }

  async write<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    void this.viewer;
    const result = await this.deps.dataSource.transaction(async (em) => {
      for (const step of this.writeSteps) await step(em);
      return work(em);
    });
    return this.committed(result);
  }

  async writeOne<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.writeSteps.length > 0) return this.write(work);
    void this.viewer;
    return this.committed(await work(this.db));
  }

  deliveredSeq(): Promise<bigint> {
    void this.viewer;
    if (!this.deps.deliveredSeq) throw new Error('This context has no event log to follow');
    return this.deps.deliveredSeq();
  }

  private committed<T>(result: T): T {
    this.currentLoaders = undefined;
    this.deps.afterCommit?.();
    return result;
  }
}
