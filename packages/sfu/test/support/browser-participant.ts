import type * as LivekitClient from 'livekit-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** What the page records, in a form that crosses the page boundary. */
export type PageEvent =
  | { type: 'data'; payload: string; from: string | null; kind: number; topic: string | null }
  | { type: 'participantConnected'; identity: string }
  | { type: 'participantDisconnected'; identity: string }
  | { type: 'attributes'; identity: string; attributes: Record<string, string> }
  | { type: 'stream'; kind: 'text' | 'bytes'; from: string; topic: string; size: number; content: string }
  | { type: 'reconnecting' }
  | { type: 'reconnected' }
  | { type: 'disconnected'; reason: number | null };

interface PageGlobals {
  LivekitClient: typeof LivekitClient;
  room: LivekitClient.Room;
  events: PageEvent[];
}

type Win = typeof globalThis & PageGlobals;

export interface JoinOptions {
  /** false forces the dual peer connection (`/rtc`) path. */
  singlePeerConnection?: boolean;
}

/** livekit-client 2.x running in its own Chromium context, driven from the test. */
export class BrowserParticipant {
  readonly identity: string;
  private readonly context: BrowserContext;
  private readonly page: Page;

  private constructor(identity: string, context: BrowserContext, page: Page) {
    this.identity = identity;
    this.context = context;
    this.page = page;
  }

  static async join(
    browser: Browser,
    pageUrl: string,
    sfuUrl: string,
    token: string,
    identity: string,
    options: JoinOptions = {},
  ): Promise<BrowserParticipant> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(pageUrl);
    await page.evaluate(
      async ({ url, token, singlePeerConnection }) => {
        const win = window as unknown as Win;
        const LK = win.LivekitClient;
        const room = new LK.Room({ singlePeerConnection });
        const events: PageEvent[] = [];
        win.room = room;
        win.events = events;
        room
          .on(LK.RoomEvent.DataReceived, (payload, participant, kind, topic) => {
            events.push({
              type: 'data',
              payload: new TextDecoder().decode(payload),
              from: participant?.identity ?? null,
              kind: kind ?? -1,
              topic: topic ?? null,
            });
          })
          .on(LK.RoomEvent.ParticipantConnected, (p) =>
            events.push({ type: 'participantConnected', identity: p.identity }),
          )
          .on(LK.RoomEvent.ParticipantDisconnected, (p) =>
            events.push({ type: 'participantDisconnected', identity: p.identity }),
          )
          .on(LK.RoomEvent.ParticipantAttributesChanged, (_changed, p) =>
            events.push({ type: 'attributes', identity: p.identity, attributes: { ...p.attributes } }),
          )
          .on(LK.RoomEvent.Reconnecting, () => events.push({ type: 'reconnecting' }))
          .on(LK.RoomEvent.Reconnected, () => events.push({ type: 'reconnected' }))
          .on(LK.RoomEvent.Disconnected, (reason) =>
            events.push({ type: 'disconnected', reason: reason ?? null }),
          );
        await room.connect(url, token);
      },
      { url: sfuUrl, token, singlePeerConnection: options.singlePeerConnection ?? true },
    );
    return new BrowserParticipant(identity, context, page);
  }

  events(type?: PageEvent['type']): Promise<PageEvent[]> {
    return this.page.evaluate((t) => {
      const events = (window as unknown as Win).events;
      return t === undefined ? events : events.filter((e) => e.type === t);
    }, type);
  }

  /** Text payloads received, as `from|topic|payload` (from is '-' for server-sent data). */
  async received(): Promise<string[]> {
    const events = await this.events('data');
    return events.map((e) => (e.type === 'data' ? `${e.from ?? '-'}|${e.topic ?? ''}|${e.payload}` : ''));
  }

  sid(): Promise<string> {
    return this.page.evaluate(() => (window as unknown as Win).room.localParticipant.sid);
  }

  /** The SDK's publisher connection signalling state; 'stable' once every offer was answered. */
  publisherSignalingState(): Promise<string | undefined> {
    return this.page.evaluate(() =>
      (window as unknown as Win).room.engine.pcManager?.publisher.getSignallingState().toString(),
    );
  }

  /** The token the SDK would reconnect with: the join token until the server sends a refreshed one. */
  token(): Promise<string> {
    return this.page.evaluate(
      () => ((window as unknown as Win).room.engine as unknown as { token?: string }).token ?? '',
    );
  }

  /** What the SDK believes about itself. */
  local(): Promise<{ sid: string; metadata: string; canPublishData: boolean | undefined }> {
    return this.page.evaluate(() => {
      const local = (window as unknown as Win).room.localParticipant;
      return {
        sid: local.sid,
        metadata: local.metadata ?? '',
        canPublishData: local.permissions?.canPublishData,
      };
    });
  }

  numParticipants(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as Win).room.numParticipants);
  }

  simulate(scenario: LivekitClient.SimulationScenario): Promise<void> {
    return this.page.evaluate((s) => (window as unknown as Win).room.simulateScenario(s), scenario);
  }

  remoteIdentities(): Promise<string[]> {
    return this.page.evaluate(() => [...(window as unknown as Win).room.remoteParticipants.keys()].sort());
  }

  publish(
    text: string,
    options: { reliable?: boolean; topic?: string; destinationIdentities?: string[] } = {},
  ) {
    return this.page.evaluate(
      ({ text, options }) =>
        (window as unknown as Win).room.localParticipant.publishData(new TextEncoder().encode(text), {
          reliable: options.reliable ?? true,
          topic: options.topic,
          destinationIdentities: options.destinationIdentities,
        }),
      { text, options },
    );
  }

  setAttributes(attributes: Record<string, string>): Promise<void> {
    return this.page.evaluate(
      (a) => (window as unknown as Win).room.localParticipant.setAttributes(a),
      attributes,
    );
  }

  /** Records every text and byte stream on `topic` once it has been read to the end. */
  receiveStreams(topic: string): Promise<void> {
    return this.page.evaluate((t) => {
      const win = window as unknown as Win;
      win.room.registerTextStreamHandler(t, async (reader, participant) => {
        const text = await reader.readAll();
        const content = text.length > 64 ? `${text.slice(0, 32)}…` : text;
        win.events.push({
          type: 'stream',
          kind: 'text',
          from: participant.identity,
          topic: t,
          size: text.length,
          content,
        });
      });
      win.room.registerByteStreamHandler(t, async (reader, participant) => {
        const chunks = await reader.readAll();
        const size = chunks.reduce((total, chunk) => total + chunk.byteLength, 0);
        const first = chunks[0]?.[0] ?? -1;
        win.events.push({
          type: 'stream',
          kind: 'bytes',
          from: participant.identity,
          topic: t,
          size,
          content: String(first),
        });
      });
    }, topic);
  }

  sendText(text: string, topic: string, destinationIdentities?: string[]): Promise<void> {
    return this.page.evaluate(
      async (args) => {
        await (window as unknown as Win).room.localParticipant.sendText(args.text, {
          topic: args.topic,
          destinationIdentities: args.destinationIdentities,
        });
      },
      { text, topic, destinationIdentities },
    );
  }

  /** Sends `size` bytes, all equal to `fill`, as a byte stream. */
  sendBytes(size: number, fill: number, topic: string): Promise<void> {
    return this.page.evaluate(
      async (args) => {
        await (window as unknown as Win).room.localParticipant.sendBytes(
          new Uint8Array(args.size).fill(args.fill),
          {
            topic: args.topic,
          },
        );
      },
      { size, fill, topic },
    );
  }

  /** Answers RPC `method` with `<caller>:<payload upper-cased>`. */
  registerEchoRpc(method: string): Promise<void> {
    return this.page.evaluate((m) => {
      (window as unknown as Win).room.registerRpcMethod(m, async (data) => {
        return `${data.callerIdentity}:${data.payload.toUpperCase()}`;
      });
    }, method);
  }

  performRpc(destinationIdentity: string, method: string, payload: string): Promise<string> {
    return this.page.evaluate((args) => (window as unknown as Win).room.localParticipant.performRpc(args), {
      destinationIdentity,
      method,
      payload,
    });
  }

  /** Tries to publish a canvas video track; resolves with the error message it fails with. */
  publishVideoError(): Promise<string> {
    return this.page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.getContext('2d')?.fillRect(0, 0, 10, 10);
      const track = canvas.captureStream(5).getVideoTracks()[0];
      if (track === undefined) return 'no canvas track';
      try {
        await (window as unknown as Win).room.localParticipant.publishTrack(track);
        return 'published';
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    });
  }

  async close(): Promise<void> {
    await this.page.evaluate(() => (window as unknown as Win).room.disconnect()).catch(() => {});
    await this.context.close();
  }
}
