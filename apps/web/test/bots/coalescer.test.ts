import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoalescer } from '../../src/bots/coalescer.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A coalescer every 100 ms whose writes succeed and are kept, in order. */
function recordingCoalescer() {
  const writes: string[] = [];
  const coalescer = createCoalescer({
    intervalMs: 100,
    write: async (content) => {
      writes.push(content);
    },
    onError: () => {},
  });
  return { coalescer, writes };
}

describe('reply update coalescer', () => {
  it('writes at most once per interval while tokens arrive every 10 ms, and the last write is the whole text', async () => {
    const { coalescer, writes } = recordingCoalescer();
    let text = '';
    for (let i = 0; i < 200; i++) {
      text += `t${i} `;
      coalescer.push(text);
      await vi.advanceTimersByTimeAsync(10);
    }
    await coalescer.flush();
    // 200 tokens over 2 s at 10 writes/s: 20 writes plus the final flush.
    expect(writes.length).toBeLessThanOrEqual(21);
    expect(writes.length).toBeGreaterThanOrEqual(19);
    expect(writes.at(-1)).toBe(text);
    expect(new Set(writes).size).toBe(writes.length);
  });

  it('keeps one write in flight and skips the texts superseded meanwhile', async () => {
    const writes: string[] = [];
    let release: (() => void) | undefined;
    const coalescer = createCoalescer({
      intervalMs: 100,
      write: (content) => {
        writes.push(content);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      onError: () => {},
    });
    coalescer.push('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toEqual(['a']);
    coalescer.push('ab');
    coalescer.push('abc');
    await vi.advanceTimersByTimeAsync(500);
    expect(writes).toEqual(['a']);
    release?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toEqual(['a', 'abc']);
    release?.();
    await coalescer.flush();
    expect(writes).toEqual(['a', 'abc']);
  });

  it('stops writing after a failed write and reports it once', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const coalescer = createCoalescer({
      intervalMs: 100,
      write: async () => {
        calls++;
        throw new Error('database down');
      },
      onError: (error) => errors.push(error),
    });
    coalescer.push('a');
    await vi.advanceTimersByTimeAsync(0);
    coalescer.push('ab');
    await vi.advanceTimersByTimeAsync(500);
    await coalescer.flush();
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('drops pending text on stop', async () => {
    const { coalescer, writes } = recordingCoalescer();
    coalescer.push('a');
    await vi.advanceTimersByTimeAsync(0);
    coalescer.push('ab');
    await coalescer.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(writes).toEqual(['a']);
  });
});
