import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';

/** PORT is taken (or not ours to take); the message names the variable to change. */
export class PortUnavailableError extends Error {}

/** What the server answers while it opens the database, before the app takes the requests. */
function starting(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2', connection: 'close' });
  res.end('{"status":"starting"}');
}

/**
 * Hands a server bound by bindPort to the app: `onRequest` replaces the "starting" answer. Only
 * that listener goes; others stay (Apollo's drain counts each socket's requests through its own).
 */
export function takeRequests(server: Server, onRequest: (req: IncomingMessage, res: ServerResponse) => void): void {
  server.removeListener('request', starting);
  server.on('request', onRequest);
}

/**
 * Takes `host:port` first, before anything is opened or written, so a taken port is refused
 * at once. Until the app installs its own request listener, requests get 503 "starting".
 */
export function bindPort(host: string, port: number): Promise<Server> {
  const server = createServer(starting);
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'is taken by another process'
        : err.code === 'EACCES' ? 'needs privileges this process lacks' : `cannot be used (${err.code ?? err.message})`;
      reject(new PortUnavailableError(`PORT ${port} on ${host} ${why}: stop that process or set PORT to a free port`));
    });
    server.listen(port, host, () => resolve(server));
  });
}

/**
 * How long an idle keep-alive connection stays open: longer than a load balancer's own idle
 * timeout (60 s on the common ones). With node's 5 s, a balancer reusing a connection this
 * server is just closing answers its client 502; clients that pause also reconnect less.
 */
export const KEEP_ALIVE_MS = 65_000;

export function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // A request's headers may take no longer than the idle time it may follow (node's own advice).
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
}
