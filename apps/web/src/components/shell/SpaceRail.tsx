import { Avatar } from '@/components/being/Avatar';
import { Link } from '@/components/ui/Link';
import { beingHref } from '@/lib/being-id';
import { Brand } from './Brand';
import styles from './SpaceRail.module.css';

export interface RailSpace {
  id: string;
  name: string;
  visibility?: 'public' | 'private' | null;
  /** Messages since the visitor last read it; shown unless it is the open space. */
  unread?: number;
}

export interface RailMe {
  id: string;
  name: string;
  type: string;
  isGuest: boolean;
}

/** The left rail: every space the visitor can see, a way to start one, and who they are. */
export function SpaceRail({
  spaces,
  activeId,
  me,
  loading,
  error,
  onSignOut,
}: {
  spaces: RailSpace[];
  activeId: string | undefined;
  me: RailMe | null | undefined;
  loading: boolean;
  error: string | undefined;
  onSignOut: () => void;
}) {
  return (
    <nav className={styles.rail} aria-label="Spaces">
      <div className={styles.top}>
        <Brand />
      </div>
      <div className={styles.section}>
        <div className={styles.sectionHead}>
          <h2 className={styles.heading}>Spaces</h2>
        </div>
        {loading && <p className={styles.note}>Loading spaces…</p>}
        {error && (
          <p className={styles.note} role="alert">
            {error}
          </p>
        )}
        <ul className={styles.list}>
          {spaces.map((space) => {
            const unread = space.id === activeId ? 0 : (space.unread ?? 0);
            return (
              <li key={space.id}>
                <Link
                  href={beingHref(space.id)}
                  className={styles.space}
                  aria-current={space.id === activeId ? 'page' : undefined}
                >
                  <span className={styles.hash} aria-hidden="true">
                    #
                  </span>
                  <span className={styles.initial} aria-hidden="true">
                    {Array.from(space.name)[0]?.toUpperCase()}
                  </span>
                  <span className={styles.spaceName}>{space.name}</span>
                  {space.visibility === 'private' && (
                    <span className={styles.lock} title="Private">
                      <span className="visually-hidden">(private)</span>
                      <svg viewBox="0 0 16 16" aria-hidden="true">
                        <rect x="3.5" y="7" width="9" height="6.5" rx="1.5" />
                        <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" strokeWidth="1.5" />
                      </svg>
                    </span>
                  )}
                  {unread > 0 && (
                    <span className={styles.unread} data-testid="unread">
                      {unread > 99 ? '99+' : unread}
                      <span className="visually-hidden"> unread</span>
                    </span>
                  )}
                </Link>
              </li>
            );
          })}
        </ul>
        {me && (
          <Link href="/spaces/new" className={styles.newSpace}>
            New space
          </Link>
        )}
      </div>
      <div className={styles.me}>
        {me ? (
          <>
            <Link href={beingHref(me.id)} className={styles.meLink} title="Your profile">
              <Avatar being={me} size={30} />
              <span className={styles.meText}>
                <span className={styles.meName}>{me.name}</span>
                <span className={styles.meId}>{me.isGuest ? 'guest' : me.id}</span>
              </span>
            </Link>
            <button
              type="button"
              className={`button button-quiet ${styles.signOut}`}
              onClick={onSignOut}
              aria-label="Sign out"
              title="Sign out"
            >
              <span className={styles.signOutText}>Sign out</span>
              <svg className={styles.signOutIcon} viewBox="0 0 20 20" aria-hidden="true">
                <path d="M8 4H5a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h3M12 6l4 4-4 4M16 10H8" />
              </svg>
            </button>
          </>
        ) : me === null ? (
          <Link href="/sign-in" className={`button button-primary ${styles.signIn}`}>
            Sign in
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
