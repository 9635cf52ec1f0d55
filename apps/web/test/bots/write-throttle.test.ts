import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWriteThrottle } from '../../src/bots/write-throttle.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A throttle every 100 ms whose writes succeed and are kept, in order. */
function recordingThrottle() {
  const writes: string[] = [];
  const throttle = createWriteThrottle({
    intervalMs: 100,
    write: async (content) => {
      writes.push(content);
    },
    onError: () => {},
  });
  return { throttle, writes };
}

describe('reply write throttle', () => {
  it('writes at most once per interval while tokens arrive every 10 ms, and the last write is the whole text', async () => {
    const { throttle, writes } = recordingThrottle();
    let text = '';
    for (let i = 0; i < 200; i++) {
      text += `t${i} `;
      throttle.push(text);
      await vi.advanceTimersByTimeAsync(10);
    }
    await throttle.flush();
    // 200 tokens over 2 s at 10 writes/s: 20 writes plus the final flush.
    expect(writes.length).toBeLessThanOrEqual(21);
    expect(writes.length).toBeGreaterThanOrEqual(19);
    expect(writes.at(-1)).toBe(text);
    expect(new Set(writes).size).toBe(writes.length);
  });

  it('keeps one write in flight and skips the texts superseded meanwhile', async () => {
    const writes: string[] = [];
    let release: (() => void) | undefined;
    const throttle = createWriteThrottle({
      intervalMs: 100,
      write: (content) => {
        writes.push(content);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      onError: () => {},
    });
    throttle.push('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toEqual(['a']);
    throttle.push('ab');
    throttle.push('abc');
    await vi.advanceTimersByTimeAsync(500);
    expect(writes).toEqual(['a']);
    release?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toEqual(['a', 'abc']);
    release?.();
    await throttle.flush();
    expect(writes).toEqual(['a', 'abc']);
  });

  it('stops writing after a failed write and reports it once', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const throttle = createWriteThrottle({
      intervalMs: 100,
      write: async () => {
        calls++;
        throw new Error('database down');
      },
      onError: (error) => errors.push(error),
    });
    throttle.push('a');
    await vi.advanceTimersByTimeAsync(0);
    throttle.push('ab');
    await vi.advanceTimersByTimeAsync(500);
    await throttle.flush();
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('drops pending text on stop', async () => {
    const { throttle, writes } = recordingThrottle();
    throttle.push('a');
    await vi.advanceTimersByTimeAsync(0);
    throttle.push('ab');
    await throttle.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(writes).toEqual(['a']);
  });
});
