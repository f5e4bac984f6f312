import { ApolloServerPlugin, GraphQLRequestContext, HeaderMap } from '@apollo/server';
import { GraphQLError, Kind, OperationDefinitionNode } from 'graphql';
import type { Context } from '../../context';
import { BadInputError, DomainError } from '../../infra/errors/domain-errors';
import { Viewer } from '../workspaces/viewer';
import { requestFingerprint } from './fingerprint';
import { IdempotencyService, KeyClaim } from './idempotency.service';

/** The creates a client may retry safely with an `Idempotency-Key` header. */
export const IDEMPOTENT_MUTATIONS = new Set(['createDeal', 'createLead', 'convertLead', 'logActivity']);

const HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** A refusal before execution, with its HTTP status; the formatter maps the domain error's code. */
function refusal(error: DomainError, status: number): GraphQLError {
  return new GraphQLError(error.message, { originalError: error, extensions: { http: { status } } });
}

/** The single root field of a mutation, or why a key cannot apply to it. */
function rootField(operation: OperationDefinitionNode): string {
  const fields = operation.selectionSet.selections.filter((s) => s.kind !== Kind.FIELD || s.name.value !== '__typename');
  const only = fields.length === 1 && fields[0].kind === Kind.FIELD ? fields[0].name.value : undefined;
  if (!only || !IDEMPOTENT_MUTATIONS.has(only)) {
    throw refusal(new BadInputError(`An Idempotency-Key applies to one of ${[...IDEMPOTENT_MUTATIONS].join(', ')}, alone in its request`, 'Idempotency-Key'), 400);
  }
  return only;
}

function viewerOf(context: Context): Viewer | undefined {
  try {
    return context.viewer;
  } catch {
    return undefined; // the resolver answers UNAUTHENTICATED
  }
}

/**
 * Honours `Idempotency-Key` on the idempotent creates (Stripe's model, see IdempotencyService).
 * Queries ignore the header; any other mutation with it is BAD_USER_INPUT, so that a client
 * never believes a retry is safe when it is not.
 */
export function idempotencyPlugin(service: IdempotencyService): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const key = request.http?.headers.get(HEADER);
      if (key === undefined) return;
      let claim: KeyClaim | undefined;
      let replay: Record<string, unknown> | undefined;
      return {
        async didResolveOperation(rc: GraphQLRequestContext<Context>) {
          const operation = rc.operation!;
          if (operation.operation !== 'mutation') return;
          if (!KEY_FORMAT.test(key)) {
            throw refusal(new BadInputError('An Idempotency-Key is 1 to 255 visible ASCII characters', 'Idempotency-Key'), 400);
          }
          const field = rootField(operation);
          const viewer = viewerOf(rc.contextValue);
          if (!viewer) return;
          const candidate: KeyClaim = {
            workspaceId: viewer.workspaceId, userId: viewer.userId, key, operation: field,
            fingerprint: requestFingerprint(rc.document!, rc.operationName, rc.request.variables),
          };
          try {
            const recorded = await service.lookup(candidate);
            if (recorded.kind === 'replay') {
              replay = recorded.response;
              return;
            }
          } catch (err) {
            if (err instanceof DomainError) throw refusal(err, err.code === 'CONFLICT' ? 409 : 400);
            throw err;
          }
          claim = candidate;
          rc.contextValue.beforeWrite((em) => service.claim(em, candidate));
        },
        async responseForOperation() {
          if (!replay) return null;
          // Stripe's header: the answer is the first one, replayed.
          const headers = new HeaderMap([['idempotent-replayed', 'true']]);
          return { http: { status: 200, headers }, body: { kind: 'single', singleResult: replay } };
        },
        async willSendResponse({ response }) {
          if (!claim || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          // A failed create rolled its claim back: the key stays free for a retry.
          if (errors?.length || !data) return;
          // Not kept (the database went away): the create stands, a retry gets CONFLICT, never a second create.
          await service.complete(claim, { data }).catch(() => undefined);
        },
      };
    },
  };
}
