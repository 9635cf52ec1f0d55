import { ParticipantInfo_Kind, ParticipantPermission, TrackSource } from '@livekit/protocol';
import type { VideoClaims } from './claims.ts';

const SOURCES: Readonly<Record<string, TrackSource>> = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
};

const SOURCE_NAMES: ReadonlyMap<TrackSource, string> = new Map(
  Object.entries(SOURCES).map(([name, source]) => [source, name]),
);

/**
 * The participant permission a join token grants, with livekit-server's defaults: publish and
 * subscribe default to true, and publishing data follows the effective canPublish when unset.
 */
export function permissionFromGrant(video: VideoClaims): ParticipantPermission {
  const canPublish = video.canPublish ?? true;
  return new ParticipantPermission({
    canSubscribe: video.canSubscribe ?? true,
    canPublish,
    canPublishData: video.canPublishData ?? canPublish,
    canPublishSources: (video.canPublishSources ?? []).flatMap((name) => {
      const source = SOURCES[name];
      return source === undefined ? [] : [source];
    }),
    hidden: video.hidden ?? false,
    recorder: video.recorder ?? false,
    canUpdateMetadata: video.canUpdateOwnMetadata ?? false,
    agent: video.agent ?? false,
    canSubscribeMetrics: video.canSubscribeMetrics ?? false,
    canManageAgentSession: video.canManageAgentSession ?? false,
  });
}

/**
 * The video grant after a permission change, as livekit-server's UpdateFromPermission: room fields
 * stay, participant permissions are replaced by the new set.
 */
export function grantWithPermission(video: VideoClaims, permission: ParticipantPermission): VideoClaims {
  return {
    ...video,
    canSubscribe: permission.canSubscribe,
    canPublish: permission.canPublish,
    canPublishData: permission.canPublishData,
    canPublishSources: permission.canPublishSources.flatMap((source) => {
      const name = SOURCE_NAMES.get(source);
      return name === undefined ? [] : [name];
    }),
    hidden: permission.hidden,
    recorder: permission.recorder,
    canUpdateOwnMetadata: permission.canUpdateMetadata,
    agent: permission.agent,
    canSubscribeMetrics: permission.canSubscribeMetrics,
    canManageAgentSession: permission.canManageAgentSession,
  };
}

const KINDS: Readonly<Record<string, ParticipantInfo_Kind>> = {
  standard: ParticipantInfo_Kind.STANDARD,
  ingress: ParticipantInfo_Kind.INGRESS,
  egress: ParticipantInfo_Kind.EGRESS,
  sip: ParticipantInfo_Kind.SIP,
  agent: ParticipantInfo_Kind.AGENT,
  connector: ParticipantInfo_Kind.CONNECTOR,
  bridge: ParticipantInfo_Kind.BRIDGE,
};

export function kindFromClaim(kind: string | undefined): ParticipantInfo_Kind {
  return (kind !== undefined ? KINDS[kind] : undefined) ?? ParticipantInfo_Kind.STANDARD;
}
