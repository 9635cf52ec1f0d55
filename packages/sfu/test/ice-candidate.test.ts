import { describe, expect, it } from 'vitest';
import { candidateInitJson, mLineIndexOf, parseCandidateInit } from '../src/rtc/ice-candidate.ts';
import { keepIceCredentials } from '../src/rtc/peer-transport.ts';

describe('ICE candidates', () => {
  it('formats libdatachannel candidates the way both SDKs read them', () => {
    const json = candidateInitJson('a=candidate:1 1 UDP 2114977791 192.0.2.2 44670 typ host', '0', 0);
    expect(JSON.parse(json)).toEqual({
      candidate: 'candidate:1 1 UDP 2114977791 192.0.2.2 44670 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    });
  });

  it('drops mDNS, empty and malformed remote candidates', () => {
    const mdns = {
      candidate: 'candidate:1 1 udp 2122260223 9b36eaac-bb2e.local 54321 typ host',
      sdpMid: '0',
    };
    expect(parseCandidateInit(JSON.stringify(mdns))).toBeUndefined();
    expect(parseCandidateInit(JSON.stringify({ candidate: '', sdpMid: '0' }))).toBeUndefined();
    expect(parseCandidateInit('{not json')).toBeUndefined();
    expect(parseCandidateInit('null')).toBeUndefined();
  });

  it('keeps usable remote candidates with their mid', () => {
    const host = { candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 54321 typ host', sdpMid: '6' };
    expect(parseCandidateInit(JSON.stringify(host))).toEqual({ candidate: host.candidate, mid: '6' });
  });

  it('finds the m-line index of a mid', () => {
    const sdp = 'v=0\r\nm=audio 9 x\r\na=mid:0\r\nm=application 9 y\r\na=mid:data\r\n';
    expect(mLineIndexOf(sdp, 'data')).toBe(1);
    expect(mLineIndexOf(sdp, 'missing')).toBe(0);
  });

  it('answers an ICE-restart offer with the running ICE credentials', () => {
    const previous = 'v=0\r\na=ice-ufrag:old\r\na=ice-pwd:oldpwd\r\n';
    const restart =
      'v=0\r\nm=audio\r\na=ice-ufrag:new\r\na=ice-pwd:newpwd\r\nm=application\r\na=ice-ufrag:new\r\n';
    expect(keepIceCredentials(restart, previous)).toBe(
      'v=0\r\nm=audio\r\na=ice-ufrag:old\r\na=ice-pwd:oldpwd\r\nm=application\r\na=ice-ufrag:old\r\n',
    );
  });
});
