import { Link } from '@/components/ui/Link';
import { beingHref } from '@/lib/being-id';
import { firstLine } from './first-line';
import styles from './SpaceHeader.module.css';
import type { BeingItem } from './types';

/** Title bar of a space: name, id, visibility, a one-line description and the owner's edit link. */
export function SpaceHeader({
  space,
  canEdit,
  memberCount,
  children,
}: {
  space: BeingItem;
  canEdit: boolean;
  /** Undefined while not known yet (nothing is shown rather than a wrong 0). */
  memberCount: number | undefined;
  /** Actions and status on the right: membership, and live sync's connection indicator. */
  children?: React.ReactNode;
}) {
  const summary = firstLine(space.content);
  return (
    <header className={styles.header}>
      <div className={styles.titles}>
        <h1 className={styles.name}>
          <span className={styles.hash} aria-hidden="true">
            #
          </span>
          <span className={styles.nameText}>{space.name}</span>
        </h1>
        <p className={styles.meta}>
          <span className={styles.id}>{space.id}</span>
          <span className={styles.pill} data-visibility={space.visibility ?? 'public'}>
            {space.visibility === 'private' ? 'Private' : 'Public'}
          </span>
          {memberCount !== undefined && (
            <span>
              {memberCount} {memberCount === 1 ? 'being' : 'beings'}
            </span>
          )}
          {summary && <span className={styles.summary}>{summary}</span>}
        </p>
      </div>
      <div className={styles.actions}>
        {children}
        {canEdit && (
          <Link className="button button-quiet" href={`${beingHref(space.id)}/edit`}>
            Edit space
          </Link>
        )}
      </div>
    </header>
  );
}
