/** The candidate JSON both SDKs exchange in TrickleRequest.candidateInit. */
export interface CandidateInit {
  candidate: string;
  sdpMid: string;
  sdpMLineIndex: number;
}

/**
 * Formats a libdatachannel local candidate for the SDKs: without the `a=` prefix, and always with a
 * string sdpMid and an integer sdpMLineIndex (the Rust SDK unwraps both).
 */
export function candidateInitJson(candidate: string, mid: string, mLineIndex: number): string {
  const line = candidate.startsWith('a=') ? candidate.slice(2) : candidate;
  const init: CandidateInit = { candidate: line, sdpMid: mid, sdpMLineIndex: mLineIndex };
  return JSON.stringify(init);
}

/**
 * Reads a remote candidate. Returns undefined for what libjuice cannot use: end-of-candidates
 * (empty), unparseable JSON and mDNS `.local` hosts (the peer is then learned as peer-reflexive).
 */
export function parseCandidateInit(json: string): { candidate: string; mid: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { candidate, sdpMid } = value as { candidate?: unknown; sdpMid?: unknown };
  if (typeof candidate !== 'string' || candidate === '') return undefined;
  const line = candidate.startsWith('a=') ? candidate.slice(2) : candidate;
  const address = line.split(' ')[4] ?? '';
  if (address.endsWith('.local')) return undefined;
  return { candidate: line, mid: typeof sdpMid === 'string' ? sdpMid : '0' };
}

/** The index of the m-line carrying `mid` in an SDP, 0 when absent (fine under BUNDLE). */
export function mLineIndexOf(sdp: string, mid: string): number {
  let index = -1;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) index += 1;
    else if (line === `a=mid:${mid}`) return Math.max(index, 0);
  }
  return 0;
}
