import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';

/**
 * When each RoomService.SendData call was handed to the HTTP client, reached the SFU's HTTP server and
 * was answered, read from Node's diagnostics channels (node:http and fetch/undici alike), so the bench
 * times the app's real sending path without changing it. The n-th entry of each list is the n-th call.
 */
export interface SendDataTimeline {
  handed: number[];
  arrived: number[];
  answered: number[];
  reset(): void;
  close(): void;
}

type Message = { request?: { path?: string; url?: string } };

export function recordSendData(): SendDataTimeline {
  const timeline = { handed: [] as number[], arrived: [] as number[], answered: [] as number[] };
  const isSendData = (message: unknown) => {
    const { request } = message as Message;
    return (request?.path ?? request?.url ?? '').endsWith('/livekit.RoomService/SendData');
  };
  const listeners: [string, (message: unknown) => void][] = [
    ['http.client.request.start', (m) => isSendData(m) && timeline.handed.push(performance.now())],
    ['undici:request:create', (m) => isSendData(m) && timeline.handed.push(performance.now())],
    ['http.server.request.start', (m) => isSendData(m) && timeline.arrived.push(performance.now())],
    ['http.client.response.finish', (m) => isSendData(m) && timeline.answered.push(performance.now())],
    ['undici:request:trailers', (m) => isSendData(m) && timeline.answered.push(performance.now())],
  ];
  for (const [name, listener] of listeners) subscribe(name, listener);
  return {
    ...timeline,
    reset() {
      for (const list of Object.values(timeline)) list.length = 0;
    },
    close() {
      for (const [name, listener] of listeners) unsubscribe(name, listener);
    },
  };
}
