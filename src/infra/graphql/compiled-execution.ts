import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { DocumentNode, execute, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/** What one execution needs: a validated document, its operation, the request's variables and context. */
export interface ExecutionRequest {
  document: DocumentNode;
  /**
   * The document's text (or its hash): with the operation name, what a compiled query is
   * cached under. Without it, the document itself is the key (a caller that reuses parsed
   * documents, as the WebSocket door does).
   */
  source?: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  contextValue: unknown;
  rootValue?: unknown;
}

/**
 * A field error as graphql-js makes it. graphql-jit's errors descend from graphql-js's but
 * leave `extensions` undefined (Apollo reads `extensions.code` of every error) and carry their
 * locations without nodes; the cause stays `originalError`, as formatError unwraps it.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const made = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  if (error.locations) Object.defineProperty(made, 'locations', { value: error.locations, enumerable: true });
  return made;
}

/** A document graphql-jit could not compile: executed by graphql-js every time. */
const INTERPRETED = Symbol('interpreted');

/**
 * Executes the schema's resolvers compiled per document (graphql-jit): the first request of a
 * document compiles its operation into a function, later ones with the same text and
 * operation name run that function; the least recently used of `capacity` documents is
 * forgotten first. The resolvers, their errors and the results are the same as graphql-js's;
 * where the compiled function would speak for the request rather than for a field (a variable
 * that does not coerce: no `data` at all), graphql-js executes the request again so that the
 * error is graphql-js's own, word for word. A document graphql-jit cannot compile is always
 * executed by graphql-js. (graphql-jit reads a union's member synchronously: see
 * sync-type-resolution.ts.)
 */
export class CompiledExecution {
  private readonly cache = new Map<string, CompiledQuery | typeof INTERPRETED>();
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, CompiledQuery | typeof INTERPRETED>>();

  constructor(private readonly schema: GraphQLSchema, private readonly capacity = 500) {}

  async execute(request: ExecutionRequest): Promise<ExecutionResult> {
    const compiled = this.compiled(request);
    if (compiled === INTERPRETED) return this.interpret(request);
    const result = await compiled.query(request.rootValue, request.contextValue, request.variables ?? {});
    if (result.data === undefined) return this.interpret(request);
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  }

  /** graphql-js's own execution of the same request. */
  interpret(request: ExecutionRequest): Promise<ExecutionResult> {
    return Promise.resolve(execute({
      schema: this.schema, document: request.document, operationName: request.operationName,
      variableValues: request.variables, contextValue: request.contextValue, rootValue: request.rootValue,
    }) as ExecutionResult | Promise<ExecutionResult>);
  }

  private compile(request: ExecutionRequest): CompiledQuery | typeof INTERPRETED {
    const attempt = compileQuery(this.schema, request.document, request.operationName ?? undefined);
    return isCompiledQuery(attempt) ? attempt : INTERPRETED;
  }

  private compiled(request: ExecutionRequest): CompiledQuery | typeof INTERPRETED {
    const name = request.operationName ?? '';
    if (request.source === undefined) {
      let byName = this.byDocument.get(request.document);
      if (!byName) this.byDocument.set(request.document, (byName = new Map()));
      let compiled = byName.get(name);
      if (!compiled) byName.set(name, (compiled = this.compile(request)));
      return compiled;
    }
    const key = `${name}\n${request.source}`;
    let compiled = this.cache.get(key);
    if (compiled) {
      // Most recently used last: a Map iterates in insertion order.
      this.cache.delete(key);
    } else {
      compiled = this.compile(request);
      if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(key, compiled);
    return compiled;
  }
}

/**
 * Apollo Server's seam for an executor of its own: a "gateway" that serves one fixed schema and
 * executes with `execution`. Parsing, validation (with the query limits), plugins, status codes
 * and `formatError` stay Apollo's.
 */
export function compiledGateway(schema: GraphQLSchema, execution: CompiledExecution): GatewayInterface {
  const executor: GatewayExecutor = (request) => execution.execute({
    document: request.document,
    source: request.source ?? request.queryHash,
    operationName: request.operationName,
    variables: request.request.variables,
    contextValue: request.context,
  }) as ReturnType<GatewayExecutor>;
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    load: async () => ({ executor }),
    stop: async () => {},
  };
}
