import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode, ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode,
} from 'graphql';
import Negotiator from 'negotiator';
import type { ExecutionRequest } from '../graphql/compiled-execution';
import type { FinishedOperation } from '../observability/graphql-plugin';
import { REQUEST_ID_HEADER } from '../observability/http-log';
import type { AnswerContext } from '../sql-answers/answer-fields';
import { resultJson } from '../sql-answers/json-text';
import type { SqlAnswerer } from '../sql-answers/sql-answers.plugin';
import { unavailableHead, unavailableResponseHead } from './database-unavailable';
import { statusForAcceptOf } from './status-for-accept';

/** An operation Apollo has parsed, validated (query limits included) and resolved for some request. */
interface KnownOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/** A request for a known operation, as its JSON body gave it. */
export interface KnownRequest {
  known: KnownOperation;
  query: string;
  operationName: string | null;
  variables: Record<string, unknown> | undefined;
  contentType: string;
}

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface KnownOperationsOptions<C extends AnswerContext> {
  schema: GraphQLSchema;
  /** What Apollo's `responseForOperation` plugin answers (the SQL answers), else null. */
  answer: SqlAnswerer<C>;
  /** What Apollo's executor runs. */
  execute: (request: ExecutionRequest) => Promise<ExecutionResult>;
  formatError: FormatError;
  /** Told of every operation served, as Apollo's observability plugin is. */
  finished: (operation: FinishedOperation) => void;
  /** Characters of document text remembered at most; the earliest learned is forgotten first. */
  capacity?: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** The media types Apollo answers a single result in, in its order of preference. */
const SINGLE_RESULT_TYPES = [JSON_TYPE, 'application/graphql-response+json; charset=utf-8', 'application/json; callbackSpec=1.0; charset=utf-8'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Known operations, served without Apollo's request pipeline. Apollo stays the door of every
 * operation's first request: it parses, validates with the query limits and resolves the
 * operation, and `plugin` learns the result. A later request with the same text and operation
 * name, sent as plain JSON (no `extensions`, no `Idempotency-Key`, an Accept header Apollo would
 * answer), runs the very same steps Apollo's pipeline would (context, the SQL answers, else the
 * compiled resolvers, `formatError`, the status rules, metrics and log) without its per-request
 * machinery of hooks, hashing and negotiation, which cost more than the rest of a small query.
 * Whatever a request could make Apollo answer differently (a context that fails, variables that
 * do not coerce) is handed back to Apollo before anything has run.
 */
export class KnownOperations<C extends AnswerContext> {
  private readonly known = new Map<string, KnownOperation>();
  private knownChars = 0;
  private readonly contentTypes = new Map<string, string | null>();
  private open = true;

  constructor(private readonly options: KnownOperationsOptions<C>) {}

  /** Learns every query and mutation Apollo resolves; closes the lane when Apollo drains, so that stopping stays Apollo's. */
  readonly plugin: ApolloServerPlugin = {
    serverWillStart: async () => ({ drainServer: async () => { this.open = false; } }),
    requestDidStart: async () => ({
      didResolveOperation: async ({ source, document, operation, request }) => {
        if (!operation || operation.operation === 'subscription' || request.extensions) return;
        this.learn(`${request.operationName ?? ''}\n${source}`, { document, operation });
      },
    }),
  };

  /** Bounded by text, not count: a caller sending large distinct documents cannot grow it past `capacity`. */
  private learn(key: string, operation: KnownOperation): void {
    if (this.known.has(key)) return;
    const capacity = this.options.capacity ?? 4_000_000;
    for (const earliest of this.known.keys()) {
      if (this.knownChars + key.length <= capacity) break;
      this.known.delete(earliest);
      this.knownChars -= earliest.length;
    }
    if (this.knownChars + key.length > capacity) return;
    this.known.set(key, operation);
    this.knownChars += key.length;
  }

  /** The known operation a parsed JSON body asks for, when Apollo would take the body as it stands; else undefined. */
  match(body: unknown, headers: IncomingHttpHeaders): KnownRequest | undefined {
    if (!this.open || !isRecord(body) || typeof body.query !== 'string') return undefined;
    const { query, operationName = null, variables, extensions } = body;
    // An empty name names no operation (Apollo refuses it), yet would share the key of no name.
    if (operationName !== null && (typeof operationName !== 'string' || operationName === '')) return undefined;
    if (variables !== undefined && variables !== null && !isRecord(variables)) return undefined;
    if (extensions !== undefined && extensions !== null) return undefined;
    if (headers['idempotency-key'] !== undefined) return undefined;
    const known = this.known.get(`${operationName ?? ''}\n${query}`);
    const contentType = known && this.contentTypeFor(headers.accept);
    if (!known || !contentType) return undefined;
    return { known, query, operationName, variables: variables ?? undefined, contentType };
  }

  /** Apollo's choice of media type for a single result; null where Apollo answers 406. */
  private contentTypeFor(accept: string | undefined): string | null {
    if (!accept) return JSON_TYPE;
    let chosen = this.contentTypes.get(accept);
    if (chosen === undefined) {
      chosen = new Negotiator({ headers: { accept } }).mediaType(SINGLE_RESULT_TYPES) ?? null;
      if (this.contentTypes.size >= 100) this.contentTypes.clear();
      this.contentTypes.set(accept, chosen);
    }
    return chosen;
  }

  /**
   * Answers `request`; false, having run nothing, when Apollo must answer it instead: the
   * context failed (Apollo words that) or the variables do not coerce (graphql-js refuses
   * before any resolver runs).
   */
  async serve(request: KnownRequest, req: IncomingMessage, res: ServerResponse, context: () => Promise<C>): Promise<boolean> {
    const started = process.hrtime.bigint();
    let contextValue: C;
    try {
      contextValue = await context();
    } catch {
      return false;
    }
    const { document, operation } = request.known;
    let body: FormattedExecutionResult;
    let status: number | undefined;
    const headers = new Map<string, string>();
    const setHead = (head: { status: number; headers: Map<string, string> }) => {
      status = head.status;
      for (const [name, value] of head.headers) headers.set(name, value);
    };
    try {
      const answered = await this.options.answer(contextValue, this.options.schema, { document, operation, inputs: request.variables });
      if (answered) {
        body = answered.result;
        if (answered.unavailable) setHead(unavailableHead());
      } else {
        const result = await this.options.execute({
          document, source: request.query, operationName: request.operationName, variables: request.variables, contextValue,
        });
        if (result.data === undefined) return false;
        const errors = result.errors && this.formatErrors(result.errors, headers);
        status = errors?.status;
        body = { errors: errors?.formatted, data: result.data, extensions: result.extensions };
        const unavailable = unavailableResponseHead(result.errors, result.data);
        if (unavailable) setHead(unavailable);
      }
    } catch (err) {
      // What Apollo answers for an executor that throws rather than reporting errors.
      const error = err instanceof GraphQLError ? err : new GraphQLError((err as Error)?.message ?? String(err), { originalError: err as Error });
      const errors = this.formatErrors([error], headers);
      status = errors.status ?? 500;
      body = { errors: errors.formatted };
    }
    status = statusForAcceptOf(status, req.headers.accept, body.errors) ?? 200;
    this.options.finished({
      known: true,
      requestId: req.headers[REQUEST_ID_HEADER] as string | undefined,
      operationName: operation.name?.value ?? request.operationName,
      type: operation.operation,
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      errors: body.errors,
    });
    const text = `${resultJson(body)}\n`;
    res.statusCode = status;
    for (const [name, value] of headers) res.setHeader(name, value);
    res.setHeader('content-type', request.contentType);
    res.setHeader('content-length', Buffer.byteLength(text));
    res.end(text);
    return true;
  }

  /**
   * Apollo's error normalisation: every error gets a code (INTERNAL_SERVER_ERROR if none), an
   * `extensions.http` sets the status and headers instead of being sent, then `formatError`.
   */
  private formatErrors(errors: readonly GraphQLError[], headers: Map<string, string>): { formatted: GraphQLFormattedError[]; status?: number } {
    let status: number | undefined;
    const formatted = errors.map((error) => {
      const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions?.code ?? 'INTERNAL_SERVER_ERROR' };
      const http = extensions.http as { status?: number; headers?: Map<string, string> } | undefined;
      if (isRecord(http)) {
        if (typeof http.status === 'number') status = http.status;
        for (const [name, value] of http.headers ?? []) headers.set(name, value);
        delete extensions.http;
      }
      try {
        return this.options.formatError({ ...error.toJSON(), extensions }, error);
      } catch {
        return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
    });
    return { formatted, status };
  }
}
