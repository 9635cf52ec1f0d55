import type { DataChannel } from 'node-datachannel';
import type { DropReason } from '../ports.ts';

export type ChannelKind = 'reliable' | 'lossy';

export interface DownstreamLimits {
  /** Reliable bytes held per participant until its channel opens (livekit-server: 100,000). */
  pendingBytes: number;
  /** Reliable bytes buffered in SCTP beyond which packets are dropped: a stuck receiver. */
  reliableBufferedBytes: number;
  /** Lossy packets are dropped once this much is buffered: lossy means "now or never". */
  lossyBufferedBytes: number;
}

export const DEFAULT_DOWNSTREAM_LIMITS: DownstreamLimits = {
  pendingBytes: 100_000,
  reliableBufferedBytes: 8 * 1024 * 1024,
  lossyBufferedBytes: 64 * 1024,
};

export interface DownstreamEvents {
  sent(bytes: number): void;
  dropped(reason: DropReason, bytes: number): void;
}

/** Threshold at which SCTP tells us the buffer drained, clearing the congestion flag. */
const LOW_WATER_MARK = 16 * 1024;

/** One data channel we write to, with JS-side open/congestion state to spare native calls. */
class Lane {
  channel: DataChannel | undefined;
  open = false;
  /** Set when a send was buffered; only then is bufferedAmount worth asking for. */
  congested = false;

  attach(channel: DataChannel, onOpen: () => void): void {
    this.channel = channel;
    this.open = false;
    this.congested = false;
    const opened = () => {
      if (this.channel !== channel || this.open) return;
      this.open = true;
      onOpen();
    };
    // Callbacks first, state second: the native side may open the channel in between, and an
    // open event with no callback registered is lost.
    channel.onOpen(opened);
    channel.onClosed(() => {
      if (this.channel === channel) this.open = false;
    });
    channel.onBufferedAmountLow(() => {
      if (this.channel === channel) this.congested = false;
    });
    channel.setBufferedAmountLowThreshold(LOW_WATER_MARK);
    if (channel.isOpen()) opened();
  }

  /** True once handed to SCTP; false when the channel is not open; 'full' when congested past `limit`. */
  write(bytes: Uint8Array, limit: number): boolean | 'full' {
    const channel = this.channel;
    if (channel === undefined || !this.open) return false;
    if (this.congested && channel.bufferedAmount() > limit) return 'full';
    try {
      if (!channel.sendMessageBinary(bytes)) this.congested = true;
      return true;
    } catch {
      this.open = false;
      return false;
    }
  }
}

/**
 * The two channels a participant receives data on, with a capped queue of reliable packets held
 * until the reliable channel opens and back-pressure drops for slow receivers.
 */
export class Downstream {
  private readonly reliable = new Lane();
  private readonly lossy = new Lane();
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly limits: DownstreamLimits;
  private readonly events: DownstreamEvents;

  constructor(limits: DownstreamLimits, events: DownstreamEvents) {
    this.limits = limits;
    this.events = events;
  }

  attach(kind: ChannelKind, channel: DataChannel): void {
    if (kind === 'reliable') this.reliable.attach(channel, () => this.flush());
    else this.lossy.attach(channel, () => {});
  }

  send(kind: ChannelKind, bytes: Uint8Array): void {
    if (kind === 'lossy') {
      const result = this.lossy.write(bytes, this.limits.lossyBufferedBytes);
      if (result === true) this.events.sent(bytes.byteLength);
      else this.events.dropped(result === 'full' ? 'backpressure' : 'not_ready', bytes.byteLength);
      return;
    }
    if (this.pending.length > 0 || !this.reliable.open) {
      this.hold(bytes);
      return;
    }
    const result = this.reliable.write(bytes, this.limits.reliableBufferedBytes);
    if (result === true) this.events.sent(bytes.byteLength);
    else if (result === 'full') this.events.dropped('backpressure', bytes.byteLength);
    else this.hold(bytes);
  }

  /** Whether the reliable channel is open (the participant can receive data now). */
  get ready(): boolean {
    return this.reliable.open;
  }

  close(): void {
    for (const bytes of this.pending) this.events.dropped('not_ready', bytes.byteLength);
    this.pending = [];
    this.pendingBytes = 0;
    for (const lane of [this.reliable, this.lossy]) {
      lane.open = false;
      lane.channel = undefined;
    }
  }

  private hold(bytes: Uint8Array): void {
    if (this.pendingBytes + bytes.byteLength > this.limits.pendingBytes) {
      this.events.dropped('not_ready', bytes.byteLength);
      return;
    }
    this.pending.push(bytes);
    this.pendingBytes += bytes.byteLength;
  }

  private flush(): void {
    while (this.pending.length > 0) {
      const bytes = this.pending[0] as Uint8Array;
      const result = this.reliable.write(bytes, this.limits.reliableBufferedBytes);
      if (result === false) return;
      this.pending.shift();
      this.pendingBytes -= bytes.byteLength;
      if (result === true) this.events.sent(bytes.byteLength);
      else this.events.dropped('backpressure', bytes.byteLength);
    }
  }
}
