type Subscribe = (listener: () => void) => () => void;

/** A hidden tab gets no animation frames; its changes still land this often. */
const HIDDEN_FLUSH_MS = 100;

/**
 * Wraps a store's `subscribe` so that React hears of its changes at most once per animation frame: a burst
 * of sync packets (dozens a second in a busy space) becomes one render per frame instead of one per packet.
 */
export function frameBatched(subscribe: Subscribe): Subscribe {
  return (listener) => {
    let frame: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cancel = () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(timer);
      frame = undefined;
      timer = undefined;
    };
    const flush = () => {
      cancel();
      listener();
    };
    const unsubscribe = subscribe(() => {
      if (frame !== undefined) return;
      frame = requestAnimationFrame(flush);
      timer = setTimeout(flush, HIDDEN_FLUSH_MS);
    });
    return () => {
      cancel();
      unsubscribe();
    };
  };
}
