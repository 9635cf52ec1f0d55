import { gzipSync } from 'node:zlib';
import {
  ClientInfo,
  ClientInfo_Capability,
  ClientInfo_SDK,
  JoinRequest,
  SessionDescription,
  WrappedJoinRequest,
  WrappedJoinRequest_Compression,
} from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../src/http/http-error.ts';
import { DEFAULT_LIMITS } from '../src/limits.ts';
import { parseConnectRequest, tokenFrom } from '../src/signal/connect-request.ts';
import { decodeJoinRequest } from '../src/signal/join-request.ts';

function wrap(join: JoinRequest, gzip: boolean): string {
  const bytes = join.toBinary();
  const wrapped = new WrappedJoinRequest({
    compression: gzip ? WrappedJoinRequest_Compression.GZIP : WrappedJoinRequest_Compression.NONE,
    joinRequest: gzip ? gzipSync(bytes) : bytes,
  });
  // livekit-client's encoding: standard base64 with + and / swapped for - and _, padding kept.
  return Buffer.from(wrapped.toBinary()).toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

const join = new JoinRequest({
  clientInfo: new ClientInfo({ sdk: ClientInfo_SDK.JS, protocol: 16, clientProtocol: 2 }),
  publisherOffer: new SessionDescription({ type: 'offer', sdp: 'v=0\r\n', id: 1 }),
  metadata: 'hello',
  participantAttributes: { a: '1' },
});

function statusOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof HttpError ? error.status : -1;
  }
  return undefined;
}

describe('decodeJoinRequest', () => {
  it('reads gzipped and plain join requests in either base64 alphabet', () => {
    for (const gzip of [true, false]) {
      const decoded = decodeJoinRequest(wrap(join, gzip), DEFAULT_LIMITS.joinRequestBytes);
      expect(decoded.publisherOffer?.id).toBe(1);
      expect(decoded.clientInfo?.clientProtocol).toBe(2);
      expect(decoded.metadata).toBe('hello');
    }
  });

  it('answers 400 for garbage and for a gzip bomb', () => {
    expect(statusOf(() => decodeJoinRequest('////', DEFAULT_LIMITS.joinRequestBytes))).toBe(400);
    const bomb = new WrappedJoinRequest({
      compression: WrappedJoinRequest_Compression.GZIP,
      joinRequest: gzipSync(Buffer.alloc(2 * 1024 * 1024)),
    });
    expect(() =>
      decodeJoinRequest(Buffer.from(bomb.toBinary()).toString('base64'), DEFAULT_LIMITS.joinRequestBytes),
    ).toThrow(/too large/);
  });
});

describe('parseConnectRequest', () => {
  it('v1: takes everything from join_request', () => {
    const query = new URLSearchParams({ access_token: 'tok', join_request: wrap(join, true) });
    const request = parseConnectRequest(1, query, {}, DEFAULT_LIMITS.joinRequestBytes);
    expect(request).toMatchObject({ version: 1, token: 'tok', metadata: 'hello', attributes: { a: '1' } });
    expect(request.publisherOffer?.sdp).toBe('v=0\r\n');
  });

  it('v1: a missing join_request is a 400', () => {
    expect(
      statusOf(() =>
        parseConnectRequest(
          1,
          new URLSearchParams({ access_token: 't' }),
          {},
          DEFAULT_LIMITS.joinRequestBytes,
        ),
      ),
    ).toBe(400);
  });

  it('v0: builds ClientInfo from the query string, including a resume', () => {
    const query = new URLSearchParams({
      access_token: 'tok',
      sdk: 'rust',
      protocol: '16',
      client_protocol: '2',
      capabilities: 'CAP_PACKET_TRAILER,CAP_BOGUS',
      reconnect: '1',
      sid: 'PA_abc',
      auto_subscribe: '0',
    });
    const request = parseConnectRequest(0, query, {}, DEFAULT_LIMITS.joinRequestBytes);
    expect(request.clientInfo.sdk).toBe(ClientInfo_SDK.RUST);
    expect(request.clientInfo.protocol).toBe(16);
    expect(request.clientInfo.capabilities).toEqual([ClientInfo_Capability.CAP_PACKET_TRAILER]);
    expect(request).toMatchObject({ reconnect: true, participantSid: 'PA_abc', autoSubscribe: false });
  });
});

describe('tokenFrom', () => {
  it('prefers the Bearer header, as the Rust SDK sends only that', () => {
    const query = new URLSearchParams({ access_token: 'query' });
    expect(tokenFrom({ authorization: 'Bearer header' }, query)).toBe('header');
    expect(tokenFrom({}, query)).toBe('query');
  });

  it('answers 401 for no token and for a non-Bearer header', () => {
    expect(statusOf(() => tokenFrom({}, new URLSearchParams()))).toBe(401);
    expect(statusOf(() => tokenFrom({ authorization: 'Basic abc' }, new URLSearchParams()))).toBe(401);
  });
});
