import {
  ClientInfo,
  ClientInfo_SDK,
  DisconnectReason,
  JoinRequest,
  type JoinResponse,
  LeaveRequest,
  LeaveRequest_Action,
  Ping,
  SessionDescription,
  SignalRequest,
  SignalResponse,
  SignalTarget,
  TrickleRequest,
  WrappedJoinRequest,
  WrappedJoinRequest_Compression,
} from '@livekit/protocol';
import ndc, { type DataChannel, type PeerConnection } from 'node-datachannel';
import WebSocket from 'ws';

/**
 * A bare LiveKit-protocol participant: the v1 signal flow (offer inside the join request, one peer
 * connection, client-opened `_reliable`/`_lossy` channels) over ws and node-datachannel. It exists
 * to send what the official SDKs refuse to send (oversize packets, raw frames) and to run many
 * light receivers in one benchmark process; behaviour checks use the official SDKs.
 */
export interface RawClient {
  join: JoinResponse;
  ws: WebSocket;
  reliable: DataChannel;
  lossy: DataChannel;
  /** Every signal response after the join, in order. */
  responses: SignalResponse[];
  sendSignal(request: SignalRequest): void;
  /** Called with each raw downstream message on either channel. */
  onData(listener: (message: Buffer, channel: 'reliable' | 'lossy') => void): void;
  close(): Promise<void>;
}

export interface RawClientOptions {
  /** Bytes the client accepts and advertises; default 262144 (libdatachannel's default). */
  maxMessageSize?: number;
  connectTimeoutMs?: number;
}

type Channel = 'reliable' | 'lossy';

export async function connectRaw(
  url: string,
  token: string,
  options: RawClientOptions = {},
): Promise<RawClient> {
  const pc: PeerConnection = new ndc.PeerConnection('raw', {
    iceServers: [],
    bindAddress: '127.0.0.1',
    maxMessageSize: options.maxMessageSize ?? 262_144,
  });
  // Like the SDKs, offer without candidates and trickle them only after the answer: a server that
  // knew our candidates earlier could finish ICE and start DTLS before we know its fingerprint.
  const offered = new Promise<string>((resolve) => pc.onLocalDescription((sdp) => resolve(sdp)));
  const candidates: string[] = [];
  let answered = false;
  const reliable = pc.createDataChannel('_reliable');
  const lossy = pc.createDataChannel('_lossy', { unordered: true, maxRetransmits: 0 });
  const offerSdp = withoutCandidates(await offered);

  const joinRequest = new JoinRequest({
    clientInfo: new ClientInfo({ sdk: ClientInfo_SDK.NODE, version: '0.0.0-raw', protocol: 16 }),
    publisherOffer: new SessionDescription({ type: 'offer', sdp: offerSdp, id: 1 }),
  });
  const wrapped = new WrappedJoinRequest({
    compression: WrappedJoinRequest_Compression.NONE,
    joinRequest: joinRequest.toBinary(),
  });
  const query = new URLSearchParams({
    access_token: token,
    join_request: Buffer.from(wrapped.toBinary()).toString('base64url'),
  });
  const ws = new WebSocket(`${url}/rtc/v1?${query}`);
  const responses: SignalResponse[] = [];
  const listeners: Array<(message: Buffer, channel: Channel) => void> = [];
  const deliver = (channel: Channel) => (message: string | Buffer | ArrayBuffer) => {
    const bytes = Buffer.isBuffer(message) ? message : Buffer.from(message as ArrayBuffer);
    for (const listener of listeners) listener(bytes, channel);
  };
  reliable.onMessage(deliver('reliable'));
  lossy.onMessage(deliver('lossy'));

  const sendSignal = (request: SignalRequest) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(request.toBinary());
  };
  const trickle = (candidate: string, mid: string) =>
    sendSignal(
      new SignalRequest({
        message: {
          case: 'trickle',
          value: new TrickleRequest({
            candidateInit: JSON.stringify({
              candidate: candidate.replace(/^a=/, ''),
              sdpMid: mid,
              sdpMLineIndex: 0,
            }),
            target: SignalTarget.PUBLISHER,
          }),
        },
      }),
    );
  pc.onLocalCandidate((candidate, mid) => {
    if (answered) trickle(candidate, mid);
    else candidates.push(`${mid} ${candidate}`);
  });
  const pinger = setInterval(
    () =>
      sendSignal(
        new SignalRequest({
          message: { case: 'pingReq', value: new Ping({ timestamp: BigInt(Date.now()) }) },
        }),
      ),
    5_000,
  );

  const failed = (reason: string) => {
    clearInterval(pinger);
    ws.terminate();
    pc.close();
    return new Error(`raw LiveKit client could not connect: ${reason}`);
  };
  const connected = new Promise<JoinResponse>((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => reject(failed(`HTTP ${res.statusCode}`)));
    ws.once('error', (error) => reject(failed(error.message)));
    ws.on('message', (data: Buffer) => {
      const response = SignalResponse.fromBinary(data);
      const message = response.message;
      if (message.case === 'join') return resolve(message.value);
      responses.push(response);
      try {
        if (message.case === 'answer') {
          pc.setRemoteDescription(message.value.sdp, 'answer');
          answered = true;
          for (const entry of candidates.splice(0)) {
            const space = entry.indexOf(' ');
            trickle(entry.slice(space + 1), entry.slice(0, space));
          }
        }
        if (message.case === 'trickle') {
          const init = JSON.parse(message.value.candidateInit) as { candidate: string; sdpMid?: string };
          if (init.candidate !== '') pc.addRemoteCandidate(init.candidate, init.sdpMid ?? '0');
        }
      } catch (error) {
        reject(failed(`${message.case}: ${(error as Error).message}`));
      }
    });
  });
  const open = connected.then(() => Promise.all([opened(reliable), opened(lossy)]));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seen = responses.map((r) => r.message.case).join(',');
      reject(failed(`no open data channels in time (pc ${pc.state()}, signal: ${seen})`));
    }, options.connectTimeoutMs ?? 15_000);
  });
  try {
    await Promise.race([open, timeout]);
  } finally {
    clearTimeout(timer);
  }
  // Later socket errors end in 'close'; without a listener they would crash the process.
  ws.on('error', () => {});

  return {
    join: await connected,
    ws,
    reliable,
    lossy,
    responses,
    sendSignal,
    onData: (listener) => listeners.push(listener),
    async close() {
      clearInterval(pinger);
      sendSignal(
        new SignalRequest({
          message: {
            case: 'leave',
            value: new LeaveRequest({
              reason: DisconnectReason.CLIENT_INITIATED,
              action: LeaveRequest_Action.DISCONNECT,
            }),
          },
        }),
      );
      await new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      });
      pc.close();
    },
  };
}

function withoutCandidates(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') && line !== 'a=end-of-candidates')
    .join('\r\n');
}

function opened(channel: DataChannel): Promise<void> {
  return channel.isOpen() ? Promise.resolve() : new Promise((resolve) => channel.onOpen(resolve));
}
