import { Room } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { type BrowserJoin, useBrowserStack } from './support/browser-stack.ts';
import { joinToken, roomService } from './support/tokens.ts';

const stack = useBrowserStack();
const join = stack.join;

const poll = { timeout: 15_000, interval: 100 };

describe('livekit-client in Chromium', () => {
  it('joins and receives RoomService.sendData on a topic with no participant', async () => {
    const alice = await join('server-data', 'alice');
    expect(await alice.sid()).toMatch(/^PA_/);
    await roomService(stack.sfu.url).sendData('server-data', new TextEncoder().encode('hello'), 0 as never, {
      topic: 'news',
    });
    await expect.poll(() => alice.received(), poll).toEqual(['-|news|hello']);
  });

  it('sees participants connect and disconnect', async () => {
    const first = await join('presence', 'first');
    const second = await join('presence', 'second');
    expect(await second.remoteIdentities()).toEqual(['first']);
    await expect
      .poll(() => first.events('participantConnected'), poll)
      .toEqual([{ type: 'participantConnected', identity: 'second' }]);
    await second.close();
    await expect
      .poll(() => first.events('participantDisconnected'), poll)
      .toEqual([{ type: 'participantDisconnected', identity: 'second' }]);
  });

  it('keeps numParticipants in step with joins and leaves (RoomUpdate)', async () => {
    const host = await join('counted', 'host');
    expect(await host.numParticipants()).toBe(1);
    const guest = await join('counted', 'guest');
    const bot = new Room();
    await bot.connect(stack.sfu.url, await joinToken('counted', 'bot'));
    await expect.poll(() => host.numParticipants(), poll).toBe(3);
    await expect.poll(() => guest.numParticipants(), poll).toBe(3);
    await bot.disconnect();
    await guest.close();
    await expect.poll(() => host.numParticipants(), poll).toBe(1);
  });

  it('exchanges publishData between browsers, honouring destinationIdentities', async () => {
    const a = await join('chat', 'a');
    const b = await join('chat', 'b');
    const c = await join('chat', 'c');
    await expect.poll(() => a.remoteIdentities(), poll).toEqual(['b', 'c']);
    await a.publish('to-all', { topic: 'all' });
    await a.publish('to-b', { topic: 'direct', destinationIdentities: ['b'] });
    await b.publish('lossy-from-b', { reliable: false });
    await expect.poll(() => b.received(), poll).toEqual(['a|all|to-all', 'a|direct|to-b']);
    await expect.poll(() => c.received(), poll).toContain('a|all|to-all');
    await expect.poll(() => a.received(), poll).toEqual(['b||lossy-from-b']);
    expect(await c.received()).not.toContain('a|direct|to-b');
  });

  it('carries data over the dual peer connection path too', async () => {
    const v0 = await join('dual', 'v0', { options: { singlePeerConnection: false } });
    const v1 = await join('dual', 'v1');
    await expect.poll(() => v0.remoteIdentities(), poll).toEqual(['v1']);
    await v1.publish('to-v0');
    await v0.publish('to-v1');
    await expect.poll(() => v0.received(), poll).toEqual(['v1||to-v0']);
    await expect.poll(() => v1.received(), poll).toEqual(['v0||to-v1']);
  });

  it('updates attributes with canUpdateOwnMetadata and shows them to the others', async () => {
    const owner = await join('attrs', 'owner', { grant: { canUpdateOwnMetadata: true } });
    const watcher = await join('attrs', 'watcher');
    await expect.poll(() => owner.remoteIdentities(), poll).toEqual(['watcher']);
    await owner.setAttributes({ mood: 'calm' });
    await expect
      .poll(() => watcher.events('attributes'), poll)
      .toEqual([{ type: 'attributes', identity: 'owner', attributes: { mood: 'calm' } }]);
    const info = await roomService(stack.sfu.url).getParticipant('attrs', 'owner');
    expect(info.attributes).toEqual({ mood: 'calm' });
  });

  it('refuses setAttributes without canUpdateOwnMetadata', async () => {
    const plain = await join('attrs-denied', 'plain');
    await expect(plain.setAttributes({ mood: 'calm' })).rejects.toThrow();
    expect((await roomService(stack.sfu.url).getParticipant('attrs-denied', 'plain')).attributes).toEqual({});
  });

  it('completes an RPC round trip between browsers', async () => {
    const caller = await join('rpc', 'caller');
    const callee = await join('rpc', 'callee');
    await callee.registerEchoRpc('shout');
    await expect.poll(() => caller.remoteIdentities(), poll).toEqual(['callee']);
    expect(await caller.performRpc('callee', 'shout', 'hi there')).toBe('caller:HI THERE');
  });

  it('carries text and byte data streams, chunked beyond one packet', async () => {
    const writer = await join('streams', 'writer');
    const reader = await join('streams', 'reader');
    await reader.receiveStreams('docs');
    await expect.poll(() => writer.remoteIdentities(), poll).toEqual(['reader']);
    const long = 'x'.repeat(40_000);
    await writer.sendText('short note', 'docs');
    await writer.sendText(long, 'docs', ['reader']);
    await writer.sendBytes(100_000, 7, 'docs');
    await expect
      .poll(() => reader.events('stream'), poll)
      .toEqual([
        { type: 'stream', kind: 'text', from: 'writer', topic: 'docs', size: 10, content: 'short note' },
        {
          type: 'stream',
          kind: 'text',
          from: 'writer',
          topic: 'docs',
          size: 40_000,
          content: `${'x'.repeat(32)}…`,
        },
        { type: 'stream', kind: 'bytes', from: 'writer', topic: 'docs', size: 100_000, content: '7' },
      ]);
  });

  it('refuses a media track at once with a clear error', async () => {
    const publisher = await join('media', 'publisher');
    expect(await publisher.publishVideoError()).toMatch(/permission/i);
  });

  it('resumes in the same room after the SFU drops the signal socket', async () => {
    await checkResume('resume', {});
  });

  it('resumes over the dual peer connection path too', async () => {
    await checkResume('resume-v0', { singlePeerConnection: false });
  });
});

async function checkResume(roomName: string, options: BrowserJoin['options']): Promise<void> {
  const resumer = await join(roomName, 'resumer', { options });
  const peer = await join(roomName, 'peer');
  await expect.poll(() => resumer.remoteIdentities(), poll).toEqual(['peer']);
  const sid = await resumer.sid();
  expect(stack.sfu.dropSignal('resumer', roomName)).toBe(true);
  await expect.poll(() => resumer.events('reconnected'), poll).toHaveLength(1);
  expect(await resumer.sid()).toBe(sid);
  // The resume's ICE-restart offer was answered: the SDK is not left waiting in have-local-offer.
  await expect.poll(() => resumer.publisherSignalingState(), poll).toBe('stable');
  expect(await resumer.events('disconnected')).toEqual([]);
  const listed = await roomService(stack.sfu.url).listParticipants(roomName);
  expect(listed.map((p) => [p.identity, p.sid]).sort()).toEqual([
    ['peer', await peer.sid()],
    ['resumer', sid],
  ]);
  await peer.publish('after-resume');
  await resumer.publish('back');
  await expect.poll(() => resumer.received(), poll).toEqual(['peer||after-resume']);
  await expect.poll(() => peer.received(), poll).toEqual(['resumer||back']);
  expect(await peer.events('participantDisconnected')).toEqual([]);
}
