import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/safe-next.ts';

describe('safeNext (where sign-in goes next)', () => {
  it.each([
    '/\\evil.example',
    '/\\/evil.example',
    '//evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '\\\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/%0a/evil.example'.replace('%0a', '\n'),
    ' /x',
    '',
  ])('sends %j home instead', (next) => {
    expect(safeNext(next)).toBe('/');
  });

  it.each([
    ['/being/@intraliminal', '/being/@intraliminal'],
    ['/being/%40intraliminal?x=1#m', '/being/%40intraliminal?x=1#m'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/%5Cevil.example', '/%5Cevil.example'],
  ])('keeps the same-origin path %j', (next, kept) => {
    expect(safeNext(next)).toBe(kept);
    expect(new URL(kept, 'https://rhizom.example').origin).toBe('https://rhizom.example');
  });
});
