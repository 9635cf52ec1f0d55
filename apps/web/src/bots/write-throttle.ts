/**
 * Turns a fast stream of "the reply is now X" into at most one write per `intervalMs`, one write in flight
 * at a time, always ending with the latest text. Each write becomes one sync event, so this bounds what
 * every client in the space receives while a bot streams.
 */
export interface WriteThrottle {
  /** The full text so far; cheap to call for every token. */
  push(content: string): void;
  /** Write whatever is pending now and wait for every write to finish. */
  flush(): Promise<void>;
  /** Stop: drop pending text, wait for the write in flight. */
  stop(): Promise<void>;
}

export interface WriteThrottleOptions {
  intervalMs: number;
  write(content: string): Promise<void>;
  /** A write failed; the throttle stops writing and the caller decides what the failure means. */
  onError(error: unknown): void;
}

export function createWriteThrottle(options: WriteThrottleOptions): WriteThrottle {
  let latest: string | null = null;
  let written: string | null = null;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | null = null;
  let stopped = false;

  const writeNow = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (stopped || latest === null || latest === written) return Promise.resolve();
    const content = latest;
    lastWriteAt = Date.now();
    inFlight = options
      .write(content)
      .then(() => {
        written = content;
      })
      .catch((error: unknown) => {
        stopped = true;
        options.onError(error);
      })
      .finally(() => {
        inFlight = null;
        schedule();
      });
    return inFlight;
  };

  const schedule = () => {
    if (stopped || timer || inFlight || latest === null || latest === written) return;
    timer = setTimeout(writeNow, Math.max(0, lastWriteAt + options.intervalMs - Date.now()));
  };

  return {
    push(content) {
      latest = content;
      schedule();
    },
    async flush() {
      clearTimeout(timer);
      timer = undefined;
      while (inFlight) await inFlight;
      await writeNow();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      while (inFlight) await inFlight;
    },
  };
}
