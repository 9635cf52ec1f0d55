import ndc, { type DataChannel, type PeerConnection } from 'node-datachannel';
import { afterEach, describe, expect, it } from 'vitest';
import type { DropReason } from '../src/ports.ts';
import { Downstream } from '../src/rtc/downstream.ts';

const peers: PeerConnection[] = [];
afterEach(() => {
  for (const pc of peers.splice(0)) pc.close();
});

/**
 * Sends `from`'s description and candidates to `to`. node-datachannel queues each kind of callback on its
 * own, so a candidate can arrive before the description it belongs to; adding it then throws, and a throw
 * inside a node-datachannel callback aborts the whole process. Early candidates wait for the description.
 */
function link(from: PeerConnection, to: PeerConnection): void {
  const early: Array<[string, string]> = [];
  let described = false;
  from.onLocalDescription((sdp, type) => {
    to.setRemoteDescription(sdp, type);
    described = true;
    for (const [candidate, mid] of early.splice(0)) to.addRemoteCandidate(candidate, mid);
  });
  from.onLocalCandidate((candidate, mid) => {
    if (described) to.addRemoteCandidate(candidate, mid);
    else early.push([candidate, mid]);
  });
}

/** A real node-datachannel pair: the server side's channels (not yet open) and what the client receives. */
function channelPair(): { reliable: DataChannel; lossy: DataChannel; received: string[] } {
  const server = new ndc.PeerConnection('server', { iceServers: [] });
  const client = new ndc.PeerConnection('client', { iceServers: [] });
  peers.push(server, client);
  link(server, client);
  link(client, server);
  const received: string[] = [];
  const held: DataChannel[] = [];
  client.onDataChannel((channel) => {
    held.push(channel);
    channel.onMessage((message) => received.push(`${channel.getLabel()}:${message.toString()}`));
  });
  const reliable = server.createDataChannel('_reliable');
  const lossy = server.createDataChannel('_lossy', { unordered: true, maxRetransmits: 0 });
  return { reliable, lossy, received };
}

describe('Downstream', () => {
  it('holds reliable packets until the channel opens, in order, within the byte cap', async () => {
    const { reliable, lossy, received } = channelPair();
    const drops: DropReason[] = [];
    let sent = 0;
    const downstream = new Downstream(
      { pendingBytes: 10, reliableBufferedBytes: 1 << 20, lossyBufferedBytes: 1 << 16 },
      { sent: () => sent++, dropped: (reason) => drops.push(reason) },
    );
    downstream.attach('reliable', reliable);
    downstream.attach('lossy', lossy);
    downstream.send('reliable', Buffer.from('one'));
    downstream.send('lossy', Buffer.from('gone'));
    downstream.send('reliable', Buffer.from('two'));
    downstream.send('reliable', Buffer.from('too-long'));
    expect(drops).toEqual(['not_ready', 'not_ready']);
    await expect.poll(() => downstream.ready, { timeout: 10_000 }).toBe(true);
    downstream.send('reliable', Buffer.from('three'));
    await expect
      .poll(() => received, { timeout: 10_000 })
      .toEqual(['_reliable:one', '_reliable:two', '_reliable:three']);
    expect(sent).toBe(3);
  });
});
