import { SignalRequest, type SignalResponse } from '@livekit/protocol';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';

export interface SignalConnectionOptions {
  /** Close the socket when nothing arrived for this long (the JoinResponse's ping_timeout). */
  pingTimeoutMs: number;
  logger: Logger;
  onRequest(request: SignalRequest): void;
  onClose(): void;
}

/**
 * One signal WebSocket: binary SignalRequest in, SignalResponse out, with the ping timeout.
 * Frames that are not a SignalRequest are logged and dropped; the connection stays usable.
 */
export class SignalConnection {
  private readonly ws: WebSocket;
  private readonly options: SignalConnectionOptions;
  private timer: NodeJS.Timeout;
  private closed = false;

  constructor(ws: WebSocket, options: SignalConnectionOptions) {
    this.ws = ws;
    this.options = options;
    this.timer = this.startTimer();
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('close', () => this.handleClose());
    ws.on('error', (error) => options.logger.debug({ err: error }, 'signal socket error'));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(response: SignalResponse): void {
    this.sendBytes(response.toBinary());
  }

  /** Sends a response that was serialised once for many receivers. */
  sendBytes(bytes: Uint8Array): void {
    if (this.closed) return;
    this.ws.send(bytes, { binary: true });
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    this.ws.close(code, reason);
    this.handleClose();
  }

  /** Drops the socket without a close handshake, as a lost network would. */
  terminate(): void {
    if (this.closed) return;
    this.ws.terminate();
    this.handleClose();
  }

  private receive(data: RawData, isBinary: boolean): void {
    this.timer.refresh();
    if (!isBinary) {
      this.options.logger.warn('signal text frame ignored: send binary SignalRequest frames');
      return;
    }
    let request: SignalRequest;
    try {
      request = SignalRequest.fromBinary(toBytes(data));
    } catch (error) {
      this.options.logger.warn({ err: error }, 'signal frame ignored: not a SignalRequest');
      return;
    }
    try {
      this.options.onRequest(request);
    } catch (error) {
      this.options.logger.error({ err: error, request: request.message.case }, 'signal request failed');
    }
  }

  private startTimer(): NodeJS.Timeout {
    return setTimeout(() => {
      this.options.logger.info('signal ping timeout: closing the socket');
      this.terminate();
    }, this.options.pingTimeoutMs);
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.options.onClose();
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
