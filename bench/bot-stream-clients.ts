/**
 * The watching clients of `bot-stream.ts`, in their own process so that decoding packets does not slow
 * the app and SFU under measurement. Parent → child over IPC: `join` (tokens, snapshot), `collect`
 * (a reply id). Child → parent: `joined`, `collected` (per client: bytes, and when it held which length).
 * Times are `performance.timeOrigin + performance.now()`, comparable across processes.
 */
import { Room, RoomEvent } from '@livekit/rtc-node';
import { isSkipped, type Keyed, PacketOpener, type SpaceSnapshot, SYNC_TOPIC } from '@rhizom/sync';
import { openAndDecode, SpaceStore } from '@rhizom/sync/client';

type Snapshot = Keyed<SpaceSnapshot>;

interface Client {
  bytes: number;
  /** Per intention id: when the client held it at which length and state. */
  seen: Map<string, Array<{ at: number; length: number; state: string }>>;
}

const now = () => performance.timeOrigin + performance.now();
const rooms: Room[] = [];
const clients: Client[] = [];

async function join(space: string, snapshot: Snapshot, joins: Array<{ url: string; token: string }>) {
  for (const { url, token } of joins) {
    const store = new SpaceStore(space);
    store.load(snapshot);
    const opener = new PacketOpener(space);
    await opener.setKeys(snapshot.keys);
    const client: Client = { bytes: 0, seen: new Map() };
    const room = new Room();
    let inbox = Promise.resolve();
    room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
      if (topic !== SYNC_TOPIC || participant) return;
      inbox = inbox.then(() => receive(payload));
    });
    const receive = async (payload: Uint8Array) => {
      const decoded = await openAndDecode(opener, payload);
      if (!decoded.ok) return;
      client.bytes += payload.byteLength;
      store.receive(decoded.packet.epoch, decoded.packet.events, decoded.packet.refs);
      const at = now();
      const byId = new Map(store.state().intentions.map((row) => [row.id, row]));
      for (const event of decoded.packet.events) {
        if (isSkipped(event) || (event.type !== 'intention.upsert' && event.type !== 'intention.append'))
          continue;
        const row = byId.get(event.entity.id);
        if (!row) continue;
        const list = client.seen.get(row.id) ?? [];
        list.push({ at, length: row.content.length, state: row.state });
        client.seen.set(row.id, list);
      }
    };
    await room.connect(url, token, { autoSubscribe: true, dynacast: false });
    rooms.push(room);
    clients.push(client);
  }
}

process.on('message', async (message: { type: string; [key: string]: unknown }) => {
  if (message.type === 'join') {
    await join(
      message.space as string,
      message.snapshot as Snapshot,
      message.joins as Array<{ url: string; token: string }>,
    );
    process.send?.({ type: 'joined' });
  } else if (message.type === 'collect') {
    const id = message.replyId as string;
    process.send?.({
      type: 'collected',
      clients: clients.map((client) => ({ bytes: client.bytes, seen: client.seen.get(id) ?? [] })),
    });
  } else if (message.type === 'close') {
    for (const room of rooms) await room.disconnect();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
