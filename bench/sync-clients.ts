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
 * Sync clients in a process of their own, away from the app's: in production every client is a browser
 * on its own device, so the app's event loop never queues behind their deliveries. Each client verifies,
 * opens, decodes and applies every packet itself, in arrival order (or only decodes while the run is
 * unsealed), and records per message when its packet arrived, was opened and was applied, on the
 * machine-wide clock (`timeOrigin + now`) so the parent can line them up with its commit times. The old
 * design's clients (topic `ping`) ask the parent for the space's recent history, as a page refetched it.
 */
export type ClientsCommand =
  | {
      type: 'join';
      joins: { url: string; token: string }[];
      snapshot: Keyed<SpaceSnapshot>;
      /** Open each packet once in this process and hand every client the result (see `shared`). */
      shareOpens: boolean;
    }
  | { type: 'mode'; sealed: boolean }
  | { type: 'report' }
  | { type: 'sample' }
  | { type: 'page'; client: number; ids: string[] }
  | { type: 'close' };

/** One message as one client got it: machine-wide ms; `packet` counts the client's sync packets from 0. */
export interface Arrival {
  id: string;
  received: number;
  opened: number;
  applied: number;
  packet: number;
}

export type ClientsMessage =
  | { type: 'ready' }
  | { type: 'joined' }
  | { type: 'mode' }
  /** Per client, what arrived since the last report; `opens`: ms per packet to verify, open and decode. */
  | { type: 'report'; arrivals: Arrival[][]; opens: number[]; refetched: [string, number][][] }
  | { type: 'refetch'; client: number }
  /** The last sealed packet the first client received: what the floor sends and the uncontended open measures. */
  | { type: 'sample'; bytes: number[] };

const clock = () => performance.timeOrigin + performance.now();

interface Client {
  room: Room;
  store: SpaceStore;
  opener: PacketOpener;
  inbox: Promise<void>;
  packets: number;
  arrivals: Arrival[];
  /** Old design: ids first seen in a refetched page, and when. */
  seen: Set<string>;
  refetched: [string, number][];
  fetching: boolean;
  again: boolean;
}

const clients: Client[] = [];
let sealed = true;
/**
 * With `shareOpens`, a packet's open, by its signature (its last 64 bytes, unique per packet): the first
 * client to get it opens it, the others wait for that result instead of opening it again.
 */
let shared: Map<string, ReturnType<typeof openAndDecode>> | null = null;
let sample: Uint8Array = new Uint8Array();
const opens: number[] = [];
const send = (message: ClientsMessage) => process.send?.(message);

async function receive(client: Client, payload: Uint8Array, received: number): Promise<void> {
  const started = performance.now();
  const decoded = sealed ? await open(client, payload) : decodePacket(payload);
  const opened = clock();
  opens.push(performance.now() - started);
  if (!decoded.ok) return;
  if (sealed && client === clients[0]) sample = payload;
  client.store.receive(decoded.packet.epoch, decoded.packet.events, decoded.packet.refs);
  const applied = clock();
  for (const event of decoded.packet.events) {
    if (!isSkipped(event) && event.type === 'intention.upsert') {
      client.arrivals.push({ id: event.entity.id, received, opened, applied, packet: client.packets });
    }
  }
  client.packets++;
}

function open(client: Client, payload: Uint8Array): ReturnType<typeof openAndDecode> {
  if (!shared) return openAndDecode(client.opener, payload);
  const id = Buffer.from(payload.subarray(payload.length - 64)).toString('hex');
  let opening = shared.get(id);
  if (!opening) {
    opening = openAndDecode(client.opener, payload);
    shared.set(id, opening);
  }
  return opening;
}

function refetch(index: number): void {
  const client = clients[index];
  if (!client) return;
  if (client.fetching) {
    client.again = true;
    return;
  }
  client.fetching = true;
  client.again = false;
  send({ type: 'refetch', client: index });
}

async function join(command: Extract<ClientsCommand, { type: 'join' }>): Promise<void> {
  shared = command.shareOpens ? new Map() : null;
  for (const { url, token } of command.joins) {
    const index = clients.length;
    const client: Client = {
      room: new Room(),
      store: new SpaceStore(command.snapshot.space),
      opener: new PacketOpener(command.snapshot.space),
      inbox: Promise.resolve(),
      packets: 0,
      arrivals: [],
      seen: new Set(),
      refetched: [],
      fetching: false,
      again: false,
    };
    await client.opener.setKeys(command.snapshot.keys);
    client.store.load(command.snapshot);
    client.room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
      const received = clock();
      if (participant) return;
      if (topic === 'ping') refetch(index);
      else if (topic === SYNC_TOPIC)
        client.inbox = client.inbox.then(() => receive(client, payload, received));
    });
    await client.room.connect(url, token, { autoSubscribe: true, dynacast: false });
    clients.push(client);
  }
}

process.on('message', async (command: ClientsCommand) => {
  if (command.type === 'join') {
    await join(command);
    send({ type: 'joined' });
  } else if (command.type === 'mode') {
    sealed = command.sealed;
    shared?.clear();
    for (const client of clients) client.packets = 0;
    send({ type: 'mode' });
  } else if (command.type === 'page') {
    const client = clients[command.client];
    if (!client) return;
    const at = clock();
    for (const id of command.ids) {
      if (client.seen.has(id)) continue;
      client.seen.add(id);
      client.refetched.push([id, at]);
    }
    client.fetching = false;
    if (client.again) refetch(command.client);
  } else if (command.type === 'report') {
    await Promise.all(clients.map((client) => client.inbox));
    send({
      type: 'report',
      arrivals: clients.map((client) => client.arrivals.splice(0)),
      opens: opens.splice(0),
      refetched: clients.map((client) => client.refetched.splice(0)),
    });
  } else if (command.type === 'sample') {
    send({ type: 'sample', bytes: [...sample] });
  } else {
    await Promise.all(clients.map((client) => client.room.disconnect()));
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
