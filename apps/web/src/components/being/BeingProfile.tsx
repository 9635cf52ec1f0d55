import { BotSettingsPanel } from '@/components/bots/BotSettingsPanel';
import { Markdown } from '@/components/markdown/Markdown';
import type { BeingItem } from '@/components/space/types';
import { Link } from '@/components/ui/Link';
import { beingHref } from '@/lib/being-id';
import { Avatar } from './Avatar';
import styles from './BeingProfile.module.css';

const TYPE_LABELS: Record<BeingItem['type'], string> = {
  guest: 'Person',
  bot: 'Bot',
  document: 'Document',
  space: 'Space',
};

/** A being that is not a space: who or what it is, where it lives, and what it says about itself. */
export function BeingProfile({ being, canEdit }: { being: BeingItem; canEdit: boolean }) {
  return (
    <article className={styles.profile}>
      <header className={styles.header}>
        <Avatar being={being} size={64} />
        <div className={styles.titles}>
          <h1 className={styles.name}>{being.name}</h1>
          <p className={styles.meta}>
            <span className={styles.type}>{TYPE_LABELS[being.type]}</span>
            <span className={styles.id}>{being.id}</span>
            {being.locationId && (
              <span>
                in <Link href={beingHref(being.locationId)}>{being.locationId}</Link>
              </span>
            )}
          </p>
        </div>
        {canEdit && (
          <Link className="button" href={`${beingHref(being.id)}/edit`}>
            Edit
          </Link>
        )}
      </header>
      <section className={styles.body}>
        {being.content.trim() ? (
          <Markdown>{being.content}</Markdown>
        ) : (
          <p className={styles.empty}>
            {canEdit ? 'Nothing written here yet. Add a description with Edit.' : 'Nothing written here yet.'}
          </p>
        )}
      </section>
      {being.type === 'bot' && canEdit && <BotSettingsPanel botId={being.id} />}
    </article>
  );
}
