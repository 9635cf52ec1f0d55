import { describe, expect, it } from 'vitest';
import { isBeingId, slugFromName, withSuffix } from '../../src/domain/ids.ts';
import { LIMITS } from '../../src/domain/limits.ts';

describe('being ids', () => {
  it('accepts @ plus 2–63 lowercase letters, digits or inner hyphens', () => {
    for (const id of ['@ab', '@intraliminal', '@a-b-c', '@42', `@${'a'.repeat(63)}`])
      expect(isBeingId(id)).toBe(true);
    for (const id of ['ab', '@a', '@Ab', '@-ab', '@ab-', '@a_b', '@a b', `@${'a'.repeat(64)}`, '@é'])
      expect(isBeingId(id)).toBe(false);
  });

  it('fit the address fields, whose length limit is the longest id', () => {
    expect(isBeingId(`@${'a'.repeat(LIMITS.beingIdMax - 1)}`)).toBe(true);
    expect(isBeingId(`@${'a'.repeat(LIMITS.beingIdMax)}`)).toBe(false);
  });

  it('derives a valid id from any name', () => {
    expect(slugFromName('Café Chat!', 'space')).toBe('@cafe-chat');
    expect(slugFromName('  --Hello   World--  ', 'space')).toBe('@hello-world');
    expect(slugFromName('✨', 'guest')).toBe('@guest');
    expect(slugFromName('A', 'space')).toBe('@space');
    const long = slugFromName(`${'word '.repeat(30)}`, 'document');
    expect(isBeingId(long)).toBe(true);
    expect(isBeingId(withSuffix(long))).toBe(true);
    expect(withSuffix('@cafe-chat')).toMatch(/^@cafe-chat-[0-9a-f]{6}$/);
  });
});
