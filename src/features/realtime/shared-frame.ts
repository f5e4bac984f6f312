import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Connection, SocketMember } from './subscription-context';

/** FIN + text opcode: a whole text message in one frame. */
const FIN_TEXT = 0x81;

/**
 * One `next` payload, serialised and UTF-8 encoded once for every subscriber that receives
 * it: the bytes after a subscriber's own `{"id":…,"type":"next","payload":` prefix, closing
 * brace included. Only the prefix differs between subscribers.
 */
export class SharedFrame {
  readonly body: Buffer;

  constructor(payloadJson: string) {
    this.body = Buffer.from(`${payloadJson}}`);
  }
}

/** The subscriptions of one socket (usually a few). */
export class SocketMembers {
  readonly members: SocketMember[] = [];
}

/** One operation's side of its socket: its `next` messages, written as WebSocket frames. */
export class OperationSocket implements Connection {
  // A string, not a Buffer: a long-lived small Buffer would pin a whole 8 KB pool slab.
  private readonly prefix: string;
  private readonly prefixBytes: number;

  constructor(private readonly socket: WebSocket, operationId: string, private readonly siblings: SocketMembers) {
    this.prefix = `{"id":${JSON.stringify(operationId)},"type":"next","payload":`;
    this.prefixBytes = Buffer.byteLength(this.prefix);
  }

  /**
   * Writes one unmasked text frame (header, prefix, shared body) as one buffer in one write,
   * straight to the TCP socket: only the short prefix is encoded per subscriber, and nothing
   * waits on a callback. `ws` with `perMessageDeflate` off never holds frames back (it queues only while
   * compressing), so the socket's byte order is the order of sends; nothing is written once
   * the WebSocket is closing.
   */
  write(frame: SharedFrame): void {
    const socket = this.socket;
    if (socket.readyState !== socket.OPEN) return;
    const tcp = (socket as unknown as { _socket?: Socket })._socket;
    const length = this.prefixBytes + frame.body.length;
    const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    if (!tcp || !tcp.writable) return;
    const bytes = Buffer.allocUnsafe(headerLength + length);
    bytes[0] = FIN_TEXT;
    if (headerLength === 2) {
      bytes[1] = length;
    } else if (headerLength === 4) {
      bytes[1] = 126;
      bytes.writeUInt16BE(length, 2);
    } else {
      bytes[1] = 127;
      bytes.writeUInt32BE(0, 2);
      bytes.writeUInt32BE(length, 6);
    }
    bytes.write(this.prefix, headerLength, this.prefixBytes);
    frame.body.copy(bytes, headerLength + this.prefixBytes);
    tcp.write(bytes);
  }

  join(member: SocketMember): void {
    this.siblings.members.push(member);
  }

  leave(member: SocketMember): void {
    const members = this.siblings.members;
    const at = members.indexOf(member);
    if (at >= 0) members.splice(at, 1);
  }

  sendSiblings(of: SocketMember): void {
    for (const member of this.siblings.members) if (member !== of) member.sendIfReady();
  }

  /** Holds writes back until `uncork`, which sends them together (one system call for many frames). */
  cork(): void {
    (this.socket as unknown as { _socket?: Socket })._socket?.cork();
  }

  uncork(): void {
    (this.socket as unknown as { _socket?: Socket })._socket?.uncork();
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /** Bytes written and not yet taken by the operating system. */
  get buffered(): number {
    return this.socket.bufferedAmount;
  }

  /** Calls `then` once the socket has sent what it held (or at once when it holds nothing). */
  whenDrained(then: () => void): void {
    const tcp = (this.socket as unknown as { _socket?: Socket })._socket;
    if (!tcp || tcp.writableLength === 0 || this.socket.readyState !== this.socket.OPEN) setImmediate(then);
    // 'drain' comes only after a write found the buffer full; otherwise look again shortly.
    else if (tcp.writableNeedDrain) tcp.once('drain', then);
    else setTimeout(then, 20);
  }
}
