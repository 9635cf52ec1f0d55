import type { VideoGrant } from 'livekit-server-sdk';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { connectRaw, type RawClient } from '../../src/raw-client.ts';
import { type SfuOptions, type SfuServer, startSfu } from '../../src/start.ts';
import { joinAsNode, type NodeParticipant } from './node-participant.ts';
import { joinToken, KEYS } from './tokens.ts';

export interface SfuStack {
  readonly sfu: SfuServer;
  /** An @livekit/rtc-node participant; it leaves when the file's tests end. */
  node(room: string, identity: string, grant?: Partial<VideoGrant>): Promise<NodeParticipant>;
  /** A bare LiveKit-protocol client (`src/raw-client.ts`); it closes when the file's tests end. */
  raw(room: string, identity: string): Promise<RawClient>;
  /** Runs `step` after the file's tests, before the SFU stops (latest first). */
  cleanup(step: () => Promise<void>): void;
}

/**
 * One SFU on loopback shared by a test file's tests: started before the first; after the last, every
 * participant joined through it leaves (latest first) and the SFU stops.
 */
export function useSfu(options: Partial<SfuOptions> = {}): SfuStack {
  let sfu: SfuServer | undefined;
  const steps: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    sfu = await startSfu({
      port: 0,
      keys: KEYS,
      logger: pino({ level: 'silent' }),
      rtc: { bindAddress: '127.0.0.1' },
      ...options,
    });
  });

  afterAll(async () => {
    for (const step of steps.reverse()) await step().catch(() => {});
    await sfu?.close();
  });

  const started = (): SfuServer => {
    if (sfu === undefined) throw new Error('the SFU starts in beforeAll: use it inside a test or hook');
    return sfu;
  };

  return {
    get sfu() {
      return started();
    },
    async node(room, identity, grant = {}) {
      const participant = await joinAsNode(started().url, room, identity, grant);
      steps.push(() => participant.leave());
      return participant;
    },
    async raw(room, identity) {
      const client = await connectRaw(started().url, await joinToken(room, identity));
      steps.push(() => client.close());
      return client;
    },
    cleanup(step) {
      steps.push(step);
    },
  };
}
