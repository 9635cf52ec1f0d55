import { performance } from 'node:perf_hooks';
import { Room, RoomEvent } from '@livekit/rtc-node';
import {
  decodePacket,
  isSkipped,
  type Keyed,
  PacketOpener,
  type SpaceSnapshot,
  SYNC_TOPIC,
} from '@rhizom/sync';
import { openAndDecode, SpaceStore } from '@rhizom/sync/client';

/**
 * One sync client in a process of its own, as a browser tab is on its own device: bench:sync's in-process
 * clients share one event loop, so 50 of them queue behind each other, and this one does not. It verifies,
 * opens, decodes and applies every packet itself (or only decodes while the run is unsealed) and reports
 * when each message was applied, on the machine-wide clock (`timeOrigin + now`), so the parent can compare
 * it with its commit times.
 */
type Command =
  | { type: 'join'; url: string; token: string; snapshot: Keyed<SpaceSnapshot> }
  | { type: 'mode'; sealed: boolean }
  | { type: 'report' }
  | { type: 'close' };

const clock = () => performance.timeOrigin + performance.now();
let room: Room | undefined;
let store: SpaceStore | undefined;
let opener: PacketOpener | undefined;
let sealed = true;
let inbox = Promise.resolve();
const applied: [string, number][] = [];

async function receive(payload: Uint8Array): Promise<void> {
  if (!store || !opener) return;
  const decoded = sealed ? await openAndDecode(opener, payload) : decodePacket(payload);
  if (!decoded.ok) return;
  store.receive(decoded.packet.epoch, decoded.packet.events, decoded.packet.refs);
  const at = clock();
  for (const event of decoded.packet.events) {
    if (!isSkipped(event) && event.type === 'intention.upsert') applied.push([event.entity.id, at]);
  }
}

process.on('message', async (command: Command) => {
  if (command.type === 'join') {
    store = new SpaceStore(command.snapshot.space);
    opener = new PacketOpener(command.snapshot.space);
    await opener.setKeys(command.snapshot.keys);
    store.load(command.snapshot);
    room = new Room();
    room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
      if (participant || topic !== SYNC_TOPIC) return;
      inbox = inbox.then(() => receive(payload));
    });
    await room.connect(command.url, command.token, { autoSubscribe: true, dynacast: false });
    process.send?.({ type: 'joined' });
  } else if (command.type === 'mode') {
    sealed = command.sealed;
    process.send?.({ type: 'mode' });
  } else if (command.type === 'report') {
    await inbox;
    process.send?.({ type: 'report', applied: applied.splice(0) });
  } else {
    await room?.disconnect();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
