import { Avatar } from '@/components/being/Avatar';
import { Markdown } from '@/components/markdown/Markdown';
import styles from './SpaceIntro.module.css';
import type { BeingItem } from './types';

/** The top of a space's history: what the space is, so the first screen is never blank. */
export function SpaceIntro({ space, empty }: { space: BeingItem; empty: boolean }) {
  return (
    <section className={styles.intro} aria-label={`About ${space.name}`}>
      <Avatar being={space} size={52} />
      <h2 className={styles.title}>Welcome to #{space.name}</h2>
      {space.content.trim() && (
        <div className={styles.description}>
          <Markdown>{space.content}</Markdown>
        </div>
      )}
      <p className={styles.note}>
        {empty
          ? 'Nothing has been said here yet. Say hello — everyone in the space sees it the moment you send it.'
          : `This is the very beginning of #${space.name}.`}
      </p>
    </section>
  );
}
