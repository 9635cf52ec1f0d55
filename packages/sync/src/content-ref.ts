import type { BeingView } from './entities.ts';

/**
 * A being's content larger than this (UTF-8 bytes) never travels in a sync event or snapshot: the entity
 * goes with `content: ''` and `contentRef: { bytes }`, and a client that shows the content fetches it
 * through the app's API (`being.get`), which checks the caller may see it. Its version is the entity's
 * `modifiedAt`. So a 100 KB document costs every client of its space a few hundred bytes per edit.
 */
export const INLINE_CONTENT_MAX_BYTES = 16_384;

/** UTF-8 length without encoding (runs in browsers and Node alike); a lone surrogate counts 3, as encoded. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit < 0xe000;
}

/** The being as sync carries it: its content replaced by a reference when it is over `maxBytes`. */
export function withContentRef(being: BeingView, maxBytes = INLINE_CONTENT_MAX_BYTES): BeingView {
  if (being.contentRef || being.content.length * 3 <= maxBytes) return being;
  const bytes = utf8Bytes(being.content);
  return bytes > maxBytes ? { ...being, content: '', contentRef: { bytes } } : being;
}
