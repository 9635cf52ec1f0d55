import Link from 'next/link';
import { beingHref } from '@/lib/being-id';
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
  memberCount: number;
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
          {space.name}
        </h1>
        <p className={styles.meta}>
          <span className={styles.id}>{space.id}</span>
          <span className={styles.pill} data-visibility={space.visibility ?? 'public'}>
            {space.visibility === 'private' ? 'Private' : 'Public'}
          </span>
          <span>
            {memberCount} {memberCount === 1 ? 'being' : 'beings'}
          </span>
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

/** The description's first line without Markdown punctuation, for a one-line summary. */
function firstLine(markdown: string): string {
  const line = markdown.split('\n').find((l) => l.trim()) ?? '';
  return line
    .replace(/^[#>*\-\s]+/, '')
    .replace(/[*_`]/g, '')
    .slice(0, 140);
}
