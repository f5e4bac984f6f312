import type { WebSocket } from 'ws';

const MARK = '\u0000shared-frame\u0000';
const QUOTED = JSON.stringify(MARK);

/**
 * Serialises a shared result once, however many sockets it goes to. graphql-ws stringifies
 * each message itself; its `jsonMessageReplacer` swaps the payload for a marker (remembering
 * the payload's JSON, computed once per result object), and each socket's `send` puts that
 * JSON back in place of the marker. Stringifying and sending happen in one synchronous step
 * in graphql-ws, so the JSON remembered is always the one of the message being sent. The
 * payload is the last key of a message, so a client-chosen id that mimics the marker is
 * never the one replaced.
 */
export class SharedFrames {
  private readonly json = new WeakMap<object, string>();
  private pending?: string;

  /** For graphql-ws `jsonMessageReplacer`. */
  readonly replacer = (key: string, value: unknown): unknown => {
    if (key !== 'payload' || typeof value !== 'object' || value === null) return value;
    let text = this.json.get(value);
    if (text === undefined) this.json.set(value, (text = JSON.stringify(value)));
    this.pending = text;
    return MARK;
  };

  /** Makes a socket's `send` restore the payload the replacer took out. */
  attach(socket: WebSocket): void {
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    (socket as { send: unknown }).send = (data: unknown, ...rest: unknown[]) => {
      if (typeof data === 'string' && this.pending !== undefined) {
        const at = data.lastIndexOf(QUOTED);
        if (at >= 0) data = data.slice(0, at) + this.pending + data.slice(at + QUOTED.length);
        this.pending = undefined;
      }
      send(data, ...rest);
    };
  }
}
