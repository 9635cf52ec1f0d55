import ndc from 'node-datachannel';
import { type Logger, pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerTransport, type TransportEvents } from '../src/rtc/peer-transport.ts';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A client PeerConnection and our PeerTransport, each side's candidates handed straight to the other. */
function connectionPair(
  logger: Logger,
  events: Omit<TransportEvents, 'candidate'>,
  onServerCandidate: (candidateInit: string) => void = () => {},
) {
  const client = new ndc.PeerConnection('client', { iceServers: [] });
  const server = new PeerTransport('server', {}, logger, {
    ...events,
    candidate: (init) => {
      onServerCandidate(init);
      const { candidate, sdpMid } = JSON.parse(init) as { candidate: string; sdpMid: string };
      client.addRemoteCandidate(candidate, sdpMid);
    },
  });
  closers.push(
    () => server.close(),
    () => client.close(),
  );
  client.onLocalCandidate((candidate, mid) =>
    server.addRemoteCandidate(JSON.stringify({ candidate, sdpMid: mid, sdpMLineIndex: 0 })),
  );
  return { client, server };
}

/** The client offers (as livekit-client does on its publisher connection) and applies our answer. */
function answerClientOffers({ client, server }: ReturnType<typeof connectionPair>): void {
  client.onLocalDescription((sdp, type) => {
    if (type === 'offer') client.setRemoteDescription(server.answer(sdp), 'answer');
  });
}

describe('PeerTransport', () => {
  it('answers an offer and keeps receiving on channels nobody else holds', async () => {
    let received = 0;
    const pair = connectionPair(pino({ level: 'silent' }), {
      state: () => {},
      // Deliberately keeps no reference to the channel, as a forwarding-only handler would not.
      dataChannel: (channel) =>
        channel.onMessage(() => {
          received += 1;
        }),
    });
    answerClientOffers(pair);
    const channel = pair.client.createDataChannel('_reliable');
    await new Promise<void>((resolve) => channel.onOpen(resolve));
    const total = 20_000;
    const message = Buffer.alloc(1000, 1);
    let sent = 0;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (sent < total && channel.bufferedAmount() < 1024 * 1024) {
          channel.sendMessageBinary(message);
          sent += 1;
        }
        if (sent === total) resolve();
      };
      channel.setBufferedAmountLowThreshold(256 * 1024);
      channel.onBufferedAmountLow(pump);
      pump();
    });
    await expect.poll(() => received, { timeout: 20_000, interval: 50 }).toBe(total);
  });

  // A throw inside a node-datachannel callback would abort the process (and this test worker with it).
  it('survives a handler that throws inside a native callback: logged, the connection carries on', async () => {
    const logged: Array<{ callback?: string; msg?: string }> = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    const messages: string[] = [];
    const pair = connectionPair(logger, {
      state: () => {
        throw new Error('a bug in a state handler');
      },
      dataChannel: (channel) => channel.onMessage((message) => messages.push(String(message))),
    });
    answerClientOffers(pair);
    const channel = pair.client.createDataChannel('_reliable');
    await new Promise<void>((resolve) => channel.onOpen(resolve));
    channel.sendMessage('still here');
    await expect.poll(() => messages, { timeout: 10_000 }).toEqual(['still here']);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0]).toMatchObject({
      callback: 'state change',
      msg: 'a WebRTC callback failed; that event was dropped',
    });
  });
});

describe('PeerTransport as the offerer (the v0 subscriber connection)', () => {
  // ICE and DTLS run on native threads while the answer waits for the event loop. A client that
  // knows our address before its answer is applied can start DTLS early, and libdatachannel then
  // fails the handshake ("unknown CA"): seen under load with Chromium on the v0 path.
  it('tells the client where to reach it only once the answer is applied, and then connects', async () => {
    const trickled: string[] = [];
    const { client, server } = connectionPair(
      pino({ level: 'silent' }),
      { state: () => {}, dataChannel: () => {} },
      (init) => trickled.push(init),
    );
    const answer = new Promise<string>((resolve) =>
      client.onLocalDescription((sdp, type) => {
        if (type === 'answer') resolve(sdp);
      }),
    );
    const messages: string[] = [];
    client.onDataChannel((channel) => channel.onMessage((message) => messages.push(String(message))));
    const reliable = server.createDataChannel('_reliable', true);
    reliable.onOpen(() => reliable.sendMessage('over the subscriber connection'));

    const offer = server.offer();
    expect(offer).not.toMatch(/^a=candidate:/m);
    client.setRemoteDescription(offer, 'offer');
    const answerSdp = await answer;
    // Gathering host candidates takes milliseconds; give them every chance to leak out early.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(trickled).toEqual([]);

    server.applyAnswer(answerSdp);
    expect(trickled.length).toBeGreaterThan(0);
    await expect.poll(() => messages, { timeout: 10_000 }).toEqual(['over the subscriber connection']);
  });
});
