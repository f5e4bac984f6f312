/** Raw HTTP for the attack suite: requests a typed document cannot express. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[] } | undefined;
}

/** Sends `init` to `url` and reads a JSON body when there is one. */
export async function send(url: string, init: RequestInit = {}): Promise<RawResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: RawResponse['body'];
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body };
}

/** POSTs a GraphQL request as JSON. */
export function postQuery(
  url: string, query: string, options: { token?: string; variables?: unknown; accept?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return send(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.accept ? { accept: options.accept } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
}

/** The `extensions.code` of every error in a raw response. */
export function codes(response: RawResponse): (string | undefined)[] {
  return (response.body?.errors ?? []).map((e) => e.extensions?.code);
}
