import { describe, expect, it } from 'vitest';
import { presenceOf } from '../src/client/presence.ts';

describe('presenceOf', () => {
  it('counts a being once however many tabs it has, and marks which is me', () => {
    const me = { identity: '@ada#1', name: 'Ada', attributes: { beingId: '@ada' } };
    const presence = presenceOf(me, [
      { identity: '@ada#2', name: 'Ada', attributes: { beingId: '@ada' } },
      { identity: '@bob#1', name: 'Bob', attributes: { beingId: '@bob' } },
      { identity: '@bot#9', attributes: {} },
    ]);
    // Sorted by name; a participant without a name or being attribute falls back to its identity.
    expect(presence).toEqual([
      { beingId: '@bot', name: '@bot', connections: 1, self: false },
      { beingId: '@ada', name: 'Ada', connections: 2, self: true },
      { beingId: '@bob', name: 'Bob', connections: 1, self: false },
    ]);
  });

  it('leaves out a signed-out visitor (no being) from their own view', () => {
    expect(presenceOf({ identity: 'visitor#x', attributes: {} }, [])).toEqual([]);
  });
});
