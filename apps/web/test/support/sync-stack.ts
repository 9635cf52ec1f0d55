import { Room, RoomEvent } from '@livekit/rtc-node';
import { type SfuServer, startSfu } from '@rhizom/sfu';
import { SYNC_TOPIC } from '@rhizom/sync';
import pino from 'pino';
import { type TestRuntime, testRuntime } from './runtime.ts';

/** The API key pair the stack's SFU accepts and the runtime signs with. */
export const SYNC_STACK_KEY = 'sync-stack-key';
export const SYNC_STACK_SECRET = 'sync-stack-test-secret-long-enough-for-hs256';

export interface SyncStack {
  sfu: SfuServer;
  runtime: TestRuntime;
  /** An rtc-node participant in the room the token names; left when the stack closes. */
  connect(url: string, token: string): Promise<Room>;
  /** A participant that keeps every `sync` packet the server sent it (no sending participant), raw. */
  capture(url: string, token: string): Promise<{ room: Room; packets: Uint8Array[] }>;
  close(): Promise<void>;
}

/**
 * The sync suites' stack: a real SFU (posting its webhooks to `webhookUrl` when given), an app runtime on
 * a fresh database of `kind` wired to it, and the rooms the suite connects, all closed by `close`.
 */
export async function startSyncStack(
  kind: 'pglite' | 'postgres',
  options: { webhookUrl?: string } = {},
): Promise<SyncStack> {
  const sfu = await startSfu({
    port: 0,
    keys: { [SYNC_STACK_KEY]: SYNC_STACK_SECRET },
    ...(options.webhookUrl ? { webhook: { url: options.webhookUrl } } : {}),
    logger: pino({ level: 'silent' }),
  });
  const runtime = await testRuntime(kind, {
    livekit: { url: sfu.url, apiKey: SYNC_STACK_KEY, apiSecret: SYNC_STACK_SECRET },
  }).catch(async (error: unknown) => {
    await sfu.close();
    throw error;
  });
  const rooms: Room[] = [];
  const connect = async (url: string, token: string) => {
    const room = new Room();
    rooms.push(room);
    await room.connect(url, token, { autoSubscribe: true, dynacast: false });
    return room;
  };
  return {
    sfu,
    runtime,
    connect,
    async capture(url, token) {
      const packets: Uint8Array[] = [];
      const room = new Room();
      rooms.push(room);
      room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
        if (topic === SYNC_TOPIC && !participant) packets.push(new Uint8Array(payload));
      });
      await room.connect(url, token, { autoSubscribe: true, dynacast: false });
      return { room, packets };
    },
    async close() {
      for (const room of rooms) await room.disconnect().catch(() => {});
      await sfu.close();
      await runtime.dispose();
    },
  };
}
