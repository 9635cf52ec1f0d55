import type { Logger } from 'pino';

/**
 * node-datachannel calls back from native code, where a JavaScript exception cannot propagate: it aborts
 * the whole process, every room with it. Callbacks that run our logic go through this wrapper, so a bug
 * costs one event (logged), not the server.
 */
export function nativeCallback<A extends unknown[]>(
  logger: Logger,
  what: string,
  fn: (...args: A) => void,
): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch (error) {
      logger.error({ err: error, callback: what }, 'a WebRTC callback failed; that event was dropped');
    }
  };
}
