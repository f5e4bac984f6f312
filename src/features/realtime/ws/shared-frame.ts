import type { WebSocket } from 'ws';
import type { Connection, SocketMember } from './subscription-context';
import { tcpSocketOf } from './ws-socket.adapter';

/** FIN + text opcode: a whole text message in one frame. */
const FIN_TEXT = 0x81;

/**
 * One `next` payload, serialised and UTF-8 encoded once for every subscriber that receives
 * it: the bytes after a subscriber's own `{"id":…,"type":"next","payload":` prefix, closing
 * brace included. Only the prefix differs between subscribers.
 */
export class SharedFrame {
  readonly body: Buffer;
  private headerFor = -1;
  private header?: Buffer;

  constructor(payloadJson: string) {
    this.body = Buffer.from(`${payloadJson}}`);
  }

  /** The WebSocket frame header for a prefix of this many bytes: shared by every subscriber whose id has the same length. */
  headerAfter(prefixBytes: number): Buffer {
    if (prefixBytes !== this.headerFor || !this.header) {
      this.header = textFrameHeader(prefixBytes + this.body.length);
      this.headerFor = prefixBytes;
    }
    return this.header;
  }
}

/** The header of one unmasked text frame (FIN set) with a payload of `length` bytes. */
function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([FIN_TEXT, length]);
  if (length < 65_536) return Buffer.from([FIN_TEXT, 126, length >> 8, length & 0xff]);
  const header = Buffer.alloc(10);
  header[0] = FIN_TEXT;
  header[1] = 127;
  header.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  header.writeUInt32BE(length >>> 0, 6);
  return header;
}

/** The subscriptions of one socket (usually a few). */
export class SocketMembers {
  readonly members: SocketMember[] = [];
}

/** One operation's side of its socket: its `next` messages, written as WebSocket frames. */
export class OperationSocket implements Connection {
  /** Unpooled: a long-lived slice of Buffer's pool would pin a whole 8 KB slab. */
  private readonly prefix: Buffer;

  constructor(private readonly socket: WebSocket, operationId: string, private readonly siblings: SocketMembers) {
    const prefix = `{"id":${JSON.stringify(operationId)},"type":"next","payload":`;
    this.prefix = Buffer.allocUnsafeSlow(Buffer.byteLength(prefix));
    this.prefix.write(prefix);
  }

  /**
   * Writes one unmasked text frame straight to the TCP socket: the header and body every
   * subscriber shares around this operation's prefix, copied into one buffer (a few hundred
   * bytes: cheaper than the stream's bookkeeping of three writes), nothing encoded per
   * subscriber, nothing waiting on a callback. `ws` with `perMessageDeflate` off never holds
   * frames back (it queues only while compressing), so the socket's byte order is the order of
   * sends; nothing is written once the WebSocket is closing.
   */
  write(frame: SharedFrame): void {
    const socket = this.socket;
    if (socket.readyState !== socket.OPEN) return;
    const tcp = tcpSocketOf(socket);
    if (!tcp || !tcp.writable) return;
    const { prefix } = this;
    const header = frame.headerAfter(prefix.length);
    const bytes = Buffer.allocUnsafe(header.length + prefix.length + frame.body.length);
    header.copy(bytes, 0);
    prefix.copy(bytes, header.length);
    frame.body.copy(bytes, header.length + prefix.length);
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
    tcpSocketOf(this.socket)?.cork();
  }

  uncork(): void {
    tcpSocketOf(this.socket)?.uncork();
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
    const tcp = tcpSocketOf(this.socket);
    if (!tcp || tcp.writableLength === 0 || this.socket.readyState !== this.socket.OPEN) setImmediate(then);
    // 'drain' comes only after a write found the buffer full; otherwise look again shortly.
    else if (tcp.writableNeedDrain) tcp.once('drain', then);
    else setTimeout(then, 20);
  }
}
