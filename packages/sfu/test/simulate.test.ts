import { describe, expect, it } from 'vitest';
import type { BrowserParticipant } from './support/browser-participant.ts';
import { useBrowserStack } from './support/browser-stack.ts';

const stack = useBrowserStack();

function join(room: string, identity: string, singlePeerConnection = true): Promise<BrowserParticipant> {
  return stack.join(room, identity, { options: { singlePeerConnection } });
}

const poll = { timeout: 20_000, interval: 100 };
/** livekit-client's DisconnectReason.SERVER_SHUTDOWN. */
const SERVER_SHUTDOWN = 3;

/** After the scenario the client is back in the room under a new SID and its data reaches a peer. */
async function backInFull(
  room: string,
  scenario: 'node-failure' | 'migration' | 'leave-full-reconnect' | 'resume-reconnect',
  singlePeerConnection = true,
) {
  const subject = await join(room, 'subject', singlePeerConnection);
  const peer = await join(room, 'peer', singlePeerConnection);
  const sid = (await subject.local()).sid;
  await subject.simulate(scenario);
  await expect.poll(() => subject.events('reconnected'), poll).toHaveLength(1);
  expect(await subject.events('disconnected')).toEqual([]);
  expect((await subject.local()).sid).not.toBe(sid);
  await expect
    .poll(() => subject.publish('after').then(() => peer.received()), poll)
    .toContain('subject||after');
}

describe('server-side simulateScenario', () => {
  it('node-failure drops the session without a leave; the client reconnects in full', async () => {
    await backInFull('sim-node-failure', 'node-failure');
  });

  it('migration drops the session the same way', async () => {
    await backInFull('sim-migration', 'migration');
  });

  it('leave-full-reconnect sends the leave that asks for a full reconnect', async () => {
    await backInFull('sim-leave-full', 'leave-full-reconnect');
  });

  it('server-leave disconnects the client with SERVER_SHUTDOWN', async () => {
    const subject = await join('sim-server-leave', 'subject');
    await subject.simulate('server-leave');
    await expect
      .poll(() => subject.events('disconnected'), poll)
      .toEqual([{ type: 'disconnected', reason: SERVER_SHUTDOWN }]);
  });

  // livekit-client fails its own resume on purpose (after the server accepted it) and falls back to
  // a full reconnect, so a new SID is expected here, as against livekit-server.
  for (const singlePeerConnection of [true, false]) {
    it(`resume-reconnect ends in a full reconnect that can publish (${singlePeerConnection ? 'v1' : 'v0'})`, async () => {
      await backInFull(
        `sim-resume-v${singlePeerConnection ? 1 : 0}`,
        'resume-reconnect',
        singlePeerConnection,
      );
    });
  }
});
