import { GraphQLResult } from './graphql';

/** Posts a body exactly as given (for requests a typed document cannot express, e.g. `1e999`). */
export async function postRaw(url: string, token: string | undefined, body: string): Promise<GraphQLResult<Record<string, unknown>>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: response.status, ...((await response.json()) as object) };
}
