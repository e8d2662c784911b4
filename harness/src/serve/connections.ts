// The connection deadline and budgets of podlab's pages. A connection is pending until one of its requests passes
// the Host check and the token; pending connections have their own small budget (a new one past it ends the
// oldest) and a short deadline, so connections that never send a request, or never a valid one, cannot hold the
// places of the instructor's: trusted connections have their own cap and a longer idle deadline.
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** trusted (authorised) connections at most; a request past it gets 503 (default 64) */
  maxConnections?: number;
  /** pending connections at most; a new one past it ends the oldest (default 32) */
  maxPending?: number;
  /** ms a pending connection may take to send a valid request (default 10 s) */
  pendingMs?: number;
  /** ms a trusted connection may stay silent both ways (default 60 s; event streams send every 15 s) */
  idleMs?: number;
}

export class Connections {
  // Sets keep insertion order: the first pending one is the oldest.
  private readonly pending = new Set<Socket>();
  private readonly trusted = new Set<Socket>();

  constructor(private readonly o: ConnectionLimits) {}

  accept(s: Socket): void {
    this.pending.add(s);
    s.setTimeout(this.o.pendingMs ?? 10_000, () => s.destroy());
    s.on('close', () => {
      this.pending.delete(s);
      this.trusted.delete(s);
    });
    if (this.pending.size > (this.o.maxPending ?? 32)) this.pending.values().next().value?.destroy();
  }

  /** A request on `s` passed the Host check and the token: true when a trusted place is (or was already) its own. */
  trust(s: Socket): boolean {
    if (this.trusted.has(s)) return true;
    if (this.trusted.size >= (this.o.maxConnections ?? 64)) return false;
    this.pending.delete(s);
    this.trusted.add(s);
    s.setTimeout(this.o.idleMs ?? 60_000, () => s.destroy());
    return true;
  }
}
