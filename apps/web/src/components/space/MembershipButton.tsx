import type { Membership } from './use-membership';

/**
 * Join a public space to be listed in it (a "Member" mark says it worked); leave it again. The owner stays a
 * member of their space.
 */
export function MembershipButton({ membership, isOwner }: { membership: Membership; isOwner: boolean }) {
  if (membership.isMember === undefined || isOwner) return null;
  return (
    <>
      {membership.error && (
        <span className="form-error" role="alert">
          {membership.error}
        </span>
      )}
      {membership.isMember ? (
        <>
          <span className="member-badge" role="status">
            Member
          </span>
          <button
            title="Stop being a member of this space"
            type="button"
            className="button button-quiet"
            onClick={membership.leave}
            disabled={membership.pending}
          >
            Leave
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button button-primary"
          onClick={membership.join}
          disabled={membership.pending}
          title="Become a member: you are listed among the beings of this space"
        >
          Join
        </button>
      )}
    </>
  );
}
