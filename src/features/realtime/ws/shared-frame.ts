import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Connection, SocketMember } from './subscription-context';
import { tcpSocketOf } from './ws-socket.adapter';

/** FIN + text opcode: a whole text message in one frame. */
const FIN_TEXT = 0x81;

/**
 * One `next` payload, serialised and UTF-8 encoded once for every subscriber that receives
 * it: the bytes after a subscriber's own `{"id":…,"type":"next","payload":` prefix, closing
 * brace included. Only the prefix differs between subscribers, and most clients number their
 * operations alike, so whole frames are built once per prefix and written as they are.
 */
export class SharedFrame {
  readonly body: Buffer;
  /** The whole frame for the prefix last asked for: a fan-out asks for one or two prefixes, thousands of times each. */
  private lastPrefix?: Buffer;
  private lastBytes?: Buffer;

  constructor(payloadJson: string) {
    this.body = Buffer.from(`${payloadJson}}`);
  }

  /**
   * The whole WebSocket frame (header, `prefix`, body) for one subscriber. Subscribers with the
   * same prefix buffer (prefixOf shares them by id) get the same bytes: the socket's write only
   * reads them, so nothing is allocated or copied per subscriber.
   */
  bytesWith(prefix: Buffer): Buffer {
    if (prefix === this.lastPrefix) return this.lastBytes!;
    const { body } = this;
    const header = textFrameHeader(prefix.length + body.length);
    const bytes = Buffer.allocUnsafe(header.length + prefix.length + body.length);
    bytes.set(header, 0);
    bytes.set(prefix, header.length);
    bytes.set(body, header.length + prefix.length);
    this.lastPrefix = prefix;
    this.lastBytes = bytes;
    return bytes;
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

/**
 * What one socket's subscriptions share: those that may send together (`members`), and the
 * frames held back while one of them writes (`cork` to `uncork`), which leave in one write.
 */
export class SocketMembers {
  readonly members: SocketMember[] = [];
  corks = 0;
  /** One frame held (the usual case: no array), or several in order. */
  held?: Buffer | Buffer[];
  heldBytes = 0;
}

/** Prefixes by operation id: clients that number their operations alike ("1", "2") share one buffer. */
const prefixes = new Map<string, Buffer>();
const PREFIXES = 1_000;

function prefixOf(operationId: string): Buffer {
  let prefix = prefixes.get(operationId);
  if (prefix) return prefix;
  const text = `{"id":${JSON.stringify(operationId)},"type":"next","payload":`;
  // Unpooled: a long-lived slice of Buffer's pool would pin a whole 8 KB slab.
  prefix = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  prefix.write(text);
  // Those first seen are kept: the ids most clients use come early and stay.
  if (prefixes.size < PREFIXES) prefixes.set(operationId, prefix);
  return prefix;
}

/** The last two frames joined into one write, and the bytes of both. */
let lastJoined: { first: Buffer; second: Buffer; bytes: Buffer } | undefined;

/**
 * Frames that leave in one write, as one buffer. A fan-out joins the same two frames (the
 * same buffers for every socket whose ids are alike, see `bytesWith`) socket after socket, so
 * the pair is copied once, not once per socket.
 */
function joined(frames: Buffer[], length: number): Buffer {
  if (frames.length !== 2) return Buffer.concat(frames, length);
  const [first, second] = frames;
  if (lastJoined?.first !== first || lastJoined.second !== second) {
    // Unpooled, as it may be kept a while: a slice of Buffer's pool would pin a whole slab.
    const bytes = Buffer.allocUnsafeSlow(length);
    bytes.set(first, 0);
    bytes.set(second, first.length);
    lastJoined = { first, second, bytes };
  }
  return lastJoined.bytes;
}

/** One operation's side of its socket: its `next` messages, written as WebSocket frames. */
export class OperationSocket implements Connection {
  /** `{"id":…,"type":"next","payload":`, shared by the operations with the same id. */
  private readonly prefix: Buffer;
  /** The TCP socket the WebSocket wraps (a server-side WebSocket has it from the start). */
  private readonly tcp?: Socket;

  constructor(private readonly socket: WebSocket, operationId: string, private readonly siblings: SocketMembers) {
    this.prefix = prefixOf(operationId);
    this.tcp = tcpSocketOf(socket);
  }

  /**
   * Writes one unmasked text frame straight to the TCP socket: the frame's bytes for this
   * operation's prefix, shared with every subscriber whose id is the same, nothing encoded or
   * copied per subscriber, nothing waiting on a callback. `ws` with `perMessageDeflate` off
   * never holds frames back (it queues only while compressing), so the socket's byte order is
   * the order of sends; nothing is written once the WebSocket is closing. Between `cork` and
   * `uncork` the frame is held here, not in the stream: the usual single frame then costs one
   * plain write.
   */
  write(frame: SharedFrame): void {
    const bytes = frame.bytesWith(this.prefix);
    const shared = this.siblings;
    if (shared.corks === 0) this.send(bytes);
    else {
      const held = shared.held;
      shared.held = held === undefined ? bytes : Array.isArray(held) ? (held.push(bytes), held) : [held, bytes];
      shared.heldBytes += bytes.length;
    }
  }

  private send(bytes: Buffer): void {
    const socket = this.socket;
    if (socket.readyState !== socket.OPEN) return;
    const tcp = this.tcp;
    if (tcp && tcp.writable) tcp.write(bytes);
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
    const members = this.siblings.members;
    // A socket with one subscription has nothing to send along.
    if (members.length < 2) return;
    for (const member of members) if (member !== of) member.sendIfReady();
  }

  /** Holds frames back until the matching `uncork`, which sends them in one write (one system call for many frames). */
  cork(): void {
    this.siblings.corks++;
  }

  uncork(): void {
    const shared = this.siblings;
    if (--shared.corks > 0) return;
    const held = shared.held;
    if (held === undefined) return;
    shared.held = undefined;
    const bytes = shared.heldBytes;
    shared.heldBytes = 0;
    this.send(Array.isArray(held) ? joined(held, bytes) : held);
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /**
   * Bytes written and not yet taken by the operating system, frames held back included. The
   * TCP socket's count is the WebSocket's `bufferedAmount` without `ws`'s sender queue, which
   * stays empty with `perMessageDeflate` off (the premise of writing frames here at all), and
   * reading it touches only what the next write touches anyway.
   */
  get buffered(): number {
    return (this.tcp ? this.tcp.writableLength : 0) + this.siblings.heldBytes;
  }

  /** Calls `then` once the socket has sent what it held (or at once when it holds nothing). */
  whenDrained(then: () => void): void {
    const tcp = this.tcp;
    if (!tcp || tcp.writableLength === 0 || this.socket.readyState !== this.socket.OPEN) setImmediate(then);
    // 'drain' comes only after a write found the buffer full; otherwise look again shortly.
    else if (tcp.writableNeedDrain) tcp.once('drain', then);
    else setTimeout(then, 20);
  }
}
