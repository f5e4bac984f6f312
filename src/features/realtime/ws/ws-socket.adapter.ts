import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * The one place that reaches into `ws`'s private state: the TCP socket a `WebSocket` wraps
 * (`_socket`, not part of its typed API). The fan-out writes shared frames straight to it,
 * which is sound only because `ws` with `perMessageDeflate` off queues nothing of its own
 * (so the socket's byte order is the order of sends). test/hardening/dependency-adapters.test.ts
 * breaks when an upgrade of `ws` changes either.
 */
export function tcpSocketOf(socket: WebSocket): Socket | undefined {
  return (socket as unknown as { _socket?: Socket })._socket;
}
