export { AuthError } from './auth-error.ts';
export type { AccessClaims, VideoClaims } from './claims.ts';
export { requireJoinGrant } from './join-grant.ts';
export { type ApiKeys, parseKeys, secretFor } from './keys.ts';
export { grantWithPermission, kindFromClaim, permissionFromGrant } from './permission.ts';
export { verifyAccessToken } from './verify.ts';
