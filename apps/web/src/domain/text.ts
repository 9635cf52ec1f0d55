import { LIMITS } from './limits.ts';

/**
 * Rules for text and JSON that reach the database and other people's screens. Pure; used by `schemas.ts`.
 */

const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored (PostgreSQL refuses NUL; a lone surrogate is not valid UTF-8), or null. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'Text cannot contain NUL characters (U+0000).';
  if (unpairedSurrogate.test(value))
    return 'Text cannot contain unpaired surrogates (broken UTF-16); send valid Unicode.';
  return null;
}

/**
 * Bidirectional overrides and isolates (which can make "evil.txt‮gpj" read as "evil.jpg…") and
 * zero-width characters (which make two names look the same), removed from names when they are written.
 * The zero-width joiner stays: emoji sequences need it.
 */
const invisibleControls = /[\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]/g;

export function withoutInvisibleControls(value: string): string {
  return value.replace(invisibleControls, '');
}

/** Depth and key count of a JSON value, checked iteratively; the first limit it breaks, or null. */
export function jsonShapeProblem(value: unknown): string | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  let keys = 0;
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next || typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > LIMITS.propertiesMaxDepth)
      return `Properties can nest at most ${LIMITS.propertiesMaxDepth} levels deep.`;
    const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
    keys += children.length;
    if (keys > LIMITS.propertiesMaxKeys)
      return `Properties can hold at most ${LIMITS.propertiesMaxKeys} keys and items in all.`;
    for (const child of children) stack.push({ value: child, depth: next.depth + 1 });
  }
  return null;
}

/** `textProblem` for every key and string inside a JSON value (call after `jsonShapeProblem`). */
export function textInJsonProblem(value: unknown): string | null {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') {
      const problem = textProblem(next);
      if (problem) return problem;
    } else if (typeof next === 'object' && next !== null) {
      if (!Array.isArray(next)) stack.push(...Object.keys(next));
      stack.push(...Object.values(next));
    }
  }
  return null;
}
