/**
 * The claims of a LiveKit access token as they appear in the JWT payload (JSON names, strings for
 * track sources), which is what the SDKs mint and what we verify.
 */
export interface VideoClaims {
  roomCreate?: boolean;
  roomJoin?: boolean;
  roomList?: boolean;
  roomRecord?: boolean;
  roomAdmin?: boolean;
  room?: string;
  ingressAdmin?: boolean;
  canPublish?: boolean;
  canPublishSources?: string[];
  canSubscribe?: boolean;
  canPublishData?: boolean;
  canUpdateOwnMetadata?: boolean;
  hidden?: boolean;
  recorder?: boolean;
  agent?: boolean;
  canSubscribeMetrics?: boolean;
  canManageAgentSession?: boolean;
  destinationRoom?: string;
}

export interface AccessClaims {
  /** The API key that signed the token. */
  iss: string;
  /** Participant identity (`sub`, or `jti` when `sub` is empty); '' for server API tokens. */
  identity: string;
  exp: number;
  nbf?: number;
  name?: string;
  metadata?: string;
  attributes?: Record<string, string>;
  kind?: string;
  sha256?: string;
  roomConfig?: unknown;
  video: VideoClaims;
}
