import * as z from 'zod/mini';
import { type SyncEvent, SyncEventSchema } from './event.ts';
import { PROTOCOL_VERSION } from './seal/envelope.ts';

/** LiveKit topic every sync packet travels on. */
export const SYNC_TOPIC = 'sync';

/**
 * Payload bytes we allow per packet. LiveKit's data-channel limit is 64 KB per DataPacket after protobuf
 * encoding; the envelope (topic, kind, nonce) needs a little room, so sync payloads stay below 60,000.
 */
export const DEFAULT_MAX_PACKET_BYTES = 60_000;

/**
 * What a sealed packet on topic `sync` carries once opened (see `seal/envelope.ts`): consecutive events of
 * one space and epoch. `refs` are events that were too big to carry; the client fetches them (and anything
 * else it misses) with `sync.since`.
 */
export interface SyncPacket {
  v: typeof PROTOCOL_VERSION;
  space: string;
  epoch: string;
  events: SyncEvent[];
  refs: SyncRef[];
}

export interface SyncRef {
  seq: number;
  type: string;
}

const RefSchema = z.object({ seq: z.int().check(z.positive()), type: z.string() });

/** The envelope is validated strictly; events one by one, so one unknown type does not drop its neighbours. */
const EnvelopeSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  space: z.string().check(z.minLength(1)),
  epoch: z.string().check(z.minLength(1)),
  events: z.array(z.unknown()),
  refs: z._default(z.array(RefSchema), []),
});

/** Minimal shape an event of a type this client does not know must still have: it occupies its seq. */
const EventPositionSchema = z.object({
  space: z.string(),
  epoch: z.string(),
  seq: z.int().check(z.positive()),
  type: z.string(),
});

/** An event this client cannot apply (newer type): it still advances the position, and is logged. */
export interface SkippedEvent {
  space: string;
  epoch: string;
  seq: number;
  type: string;
  skipped: true;
}

export type ReceivedEvent = SyncEvent | SkippedEvent;

export function isSkipped(event: ReceivedEvent): event is SkippedEvent {
  return 'skipped' in event;
}

export type DecodeResult =
  | { ok: true; packet: Omit<SyncPacket, 'events'> & { events: ReceivedEvent[] }; unknownTypes: string[] }
  | { ok: false; error: string };

/**
 * Parse and validate one opened packet (its plaintext). Events whose type is unknown become `SkippedEvent`s (they keep their
 * seq so the stream has no hole); events that are malformed in a known type reject the whole packet,
 * because applying the rest around a hole would skip data.
 */
export function decodePacket(bytes: Uint8Array): DecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { ok: false, error: 'payload is not JSON' };
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, error: `bad packet envelope: ${envelope.error.message}` };
  const { space, epoch, refs } = envelope.data;
  const events: ReceivedEvent[] = [];
  const unknownTypes: string[] = [];
  for (const raw of envelope.data.events) {
    const parsed = parseEvent(raw);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    if (parsed.event.space !== space || parsed.event.epoch !== epoch) {
      return { ok: false, error: `event seq ${parsed.event.seq} belongs to another space or epoch` };
    }
    if (isSkipped(parsed.event)) unknownTypes.push(parsed.event.type);
    events.push(parsed.event);
  }
  return { ok: true, packet: { v: PROTOCOL_VERSION, space, epoch, events, refs }, unknownTypes };
}

export function parseEvent(raw: unknown): { ok: true; event: ReceivedEvent } | { ok: false; error: string } {
  const known = SyncEventSchema.safeParse(raw);
  if (known.success) return { ok: true, event: known.data };
  const position = EventPositionSchema.safeParse(raw);
  if (!position.success) return { ok: false, error: `bad event: ${position.error.message}` };
  if (isKnownType(position.data.type)) {
    return {
      ok: false,
      error: `bad ${position.data.type} event seq ${position.data.seq}: ${known.error.message}`,
    };
  }
  return { ok: true, event: { ...position.data, skipped: true } };
}

const knownTypes: ReadonlySet<string> = new Set(
  SyncEventSchema.def.options.flatMap((option) => option.shape.type.def.values),
);

function isKnownType(type: string): boolean {
  return knownTypes.has(type);
}
