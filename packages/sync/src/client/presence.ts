import { compareCodeUnits, compareNames } from './compare-names.ts';
import type { PresenceEntry } from './types.ts';

/** The participant fields presence needs (livekit-client's Participant has them). */
export interface ParticipantLike {
  identity: string;
  name?: string;
  attributes: Readonly<Record<string, string>>;
}

/**
 * Group a room's participants by being: tokens put the being id in the `beingId` attribute and make
 * identities unique per connection (`@being#random`), so two tabs of one person count once.
 */
export function presenceOf(
  local: ParticipantLike | null,
  remotes: Iterable<ParticipantLike>,
): PresenceEntry[] {
  const byBeing = new Map<string, PresenceEntry>();
  const add = (participant: ParticipantLike, self: boolean) => {
    const beingId =
      participant.attributes.beingId || participant.identity.split('#')[0] || participant.identity;
    const entry = byBeing.get(beingId);
    if (entry) {
      entry.connections++;
      entry.self ||= self;
    } else {
      byBeing.set(beingId, { beingId, name: participant.name || beingId, connections: 1, self });
    }
  };
  // A signed-out visitor joins hidden and has no being: others do not see them, and neither do they.
  if (local?.attributes.beingId) add(local, true);
  for (const remote of remotes) add(remote, false);
  return [...byBeing.values()].sort(
    (a, b) => compareNames(a.name, b.name) || compareCodeUnits(a.beingId, b.beingId),
  );
}

/** Same beings with the same connections, in the same order: nothing for a listener to redraw. */
export function samePresence(a: readonly PresenceEntry[], b: readonly PresenceEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (entry, i) =>
        entry.beingId === b[i]?.beingId &&
        entry.name === b[i]?.name &&
        entry.connections === b[i]?.connections &&
        entry.self === b[i]?.self,
    )
  );
}
