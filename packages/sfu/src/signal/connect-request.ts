import type { IncomingHttpHeaders } from 'node:http';
import {
  ClientInfo,
  ClientInfo_Capability,
  ClientInfo_SDK,
  type ReconnectReason,
  type SessionDescription,
} from '@livekit/protocol';
import { AuthError } from '../auth/auth-error.ts';
import { HttpError } from '../http/http-error.ts';
import { decodeJoinRequest } from './join-request.ts';

/** Signalling flavour: v1 is one peer connection (`/rtc/v1`), v0 two (`/rtc`). */
export type SignalVersion = 0 | 1;

/** Everything a signal upgrade asks for, read from its path, query string and headers. */
export interface ConnectRequest {
  version: SignalVersion;
  token: string;
  clientInfo: ClientInfo;
  autoSubscribe: boolean;
  reconnect: boolean;
  reconnectReason: ReconnectReason;
  participantSid: string;
  /** v1 only: the client's first offer, sent inside the join request. */
  publisherOffer?: SessionDescription;
  /** v1 only: metadata and attributes the client asks to join with (needs canUpdateOwnMetadata). */
  metadata: string;
  attributes: Record<string, string>;
}

const SDKS: Readonly<Record<string, ClientInfo_SDK>> = {
  js: ClientInfo_SDK.JS,
  swift: ClientInfo_SDK.SWIFT,
  android: ClientInfo_SDK.ANDROID,
  flutter: ClientInfo_SDK.FLUTTER,
  go: ClientInfo_SDK.GO,
  unity: ClientInfo_SDK.UNITY,
  reactnative: ClientInfo_SDK.REACT_NATIVE,
  rust: ClientInfo_SDK.RUST,
  python: ClientInfo_SDK.PYTHON,
  cpp: ClientInfo_SDK.CPP,
  unityweb: ClientInfo_SDK.UNITY_WEB,
  node: ClientInfo_SDK.NODE,
};

/**
 * Reads the access token: the `Authorization: Bearer` header wins (the Rust SDK sends only that),
 * else the `access_token` query parameter.
 */
export function tokenFrom(headers: IncomingHttpHeaders, query: URLSearchParams): string {
  const header = headers.authorization;
  if (header !== undefined) {
    if (!header.startsWith('Bearer '))
      throw new AuthError(401, 'authorization header must be "Bearer <token>"');
    return header.slice('Bearer '.length).trim();
  }
  const token = query.get('access_token') ?? '';
  if (token === '') throw new AuthError(401, 'no access token: pass access_token or an Authorization header');
  return token;
}

export function parseConnectRequest(
  version: SignalVersion,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
  maxJoinRequestBytes: number,
): ConnectRequest {
  const token = tokenFrom(headers, query);
  if (version === 1) {
    const param = query.get('join_request');
    if (param === null || param === '') throw new HttpError(400, 'missing join_request parameter');
    const join = decodeJoinRequest(param, maxJoinRequestBytes);
    return {
      version,
      token,
      clientInfo: join.clientInfo ?? new ClientInfo(),
      autoSubscribe: join.connectionSettings?.autoSubscribe ?? true,
      reconnect: join.reconnect,
      reconnectReason: join.reconnectReason,
      participantSid: join.participantSid,
      publisherOffer: join.publisherOffer,
      metadata: join.metadata,
      attributes: join.participantAttributes,
    };
  }
  return {
    version,
    token,
    clientInfo: clientInfoFromQuery(query),
    autoSubscribe: query.get('auto_subscribe') !== '0',
    reconnect: query.get('reconnect') === '1',
    reconnectReason: Number(query.get('reconnect_reason') ?? 0) as ReconnectReason,
    participantSid: query.get('sid') ?? '',
    metadata: '',
    attributes: {},
  };
}

function clientInfoFromQuery(query: URLSearchParams): ClientInfo {
  const capabilities = (query.get('capabilities') ?? '')
    .split(',')
    .map((name) => ClientInfo_Capability[name.trim() as keyof typeof ClientInfo_Capability])
    .filter((value): value is ClientInfo_Capability => typeof value === 'number');
  return new ClientInfo({
    sdk: SDKS[query.get('sdk') ?? ''] ?? ClientInfo_SDK.UNKNOWN,
    version: query.get('version') ?? '',
    protocol: integer(query.get('protocol')),
    clientProtocol: integer(query.get('client_protocol')),
    os: query.get('os') ?? '',
    osVersion: query.get('os_version') ?? '',
    deviceModel: query.get('device_model') ?? '',
    browser: query.get('browser') ?? '',
    browserVersion: query.get('browser_version') ?? '',
    network: query.get('network') ?? '',
    capabilities,
  });
}

function integer(value: string | null): number {
  const parsed = Number.parseInt(value ?? '', 10);
  return Number.isFinite(parsed) ? parsed : 0;
}
