import type { WebSocket } from 'ws';

/** Slots of the wheel: each socket is looked at once per interval, a slot's sockets at a time. */
const SLOTS = 48;

/**
 * graphql-ws's keep-alive (a ping every interval; a socket that has not answered the last
 * ping by the next is terminated) with one timer for every socket instead of an interval, a
 * timeout and a listener per socket. The sockets sit in the slots of a wheel, one slot looked
 * at per tick, so the pings spread over the interval as the sockets' own intervals would.
 */
export class KeepAlive {
  private readonly slots: Set<WebSocket>[] = Array.from({ length: SLOTS }, () => new Set());
  private readonly slotOf = new Map<WebSocket, number>();
  /** Sockets pinged and not yet answered. */
  private readonly unanswered = new Set<WebSocket>();
  private hand = 0;
  private timer?: NodeJS.Timeout;
  /** One listener for every socket's pong: `this` is the socket. */
  private readonly answered: (this: WebSocket) => void;

  constructor(private readonly intervalMs: number) {
    const unanswered = this.unanswered;
    this.answered = function answered(this: WebSocket) {
      unanswered.delete(this);
    };
  }

  /** Watches `socket` until it closes (`remove`). */
  add(socket: WebSocket): void {
    if (!(this.intervalMs > 0 && Number.isFinite(this.intervalMs))) return;
    // The slot just behind the hand: the socket's first ping comes about an interval after it opened.
    const slot = (this.hand + SLOTS - 1) % SLOTS;
    this.slots[slot].add(socket);
    this.slotOf.set(socket, slot);
    socket.on('pong', this.answered);
    if (!this.timer) {
      this.timer = setInterval(this.tick, this.intervalMs / SLOTS);
      this.timer.unref();
    }
  }

  remove(socket: WebSocket): void {
    const slot = this.slotOf.get(socket);
    if (slot === undefined) return;
    this.slotOf.delete(socket);
    this.slots[slot].delete(socket);
    this.unanswered.delete(socket);
    socket.off('pong', this.answered);
  }

  /** Sockets watched. */
  get size(): number {
    return this.slotOf.size;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private readonly tick = (): void => {
    const slot = this.slots[this.hand];
    this.hand = (this.hand + 1) % SLOTS;
    for (const socket of slot) {
      if (this.unanswered.has(socket)) {
        this.remove(socket);
        socket.terminate();
      } else if (socket.readyState === socket.OPEN) {
        this.unanswered.add(socket);
        socket.ping();
      }
    }
  };
}
