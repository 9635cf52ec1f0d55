import { compareCodeUnits, compareNames } from '@rhizom/sync/names';
import type { ReactNode } from 'react';
import { Avatar } from '@/components/being/Avatar';
import { Link } from '@/components/ui/Link';
import { beingTraits, byListOrder } from '@/domain/being-types';
import { beingHref } from '@/lib/being-id';
import styles from './BeingList.module.css';
import type { BeingItem } from './types';

/** Everyone and everything in the space: people first, then bots, documents and nested spaces. */
export function BeingList({
  id,
  beings,
  myBeingId,
  onlineIds,
  loading = false,
  open,
  onClose,
  actions,
  footer,
}: {
  id?: string;
  beings: BeingItem[];
  myBeingId: string | undefined;
  /** Beings present right now, when live presence is known. */
  onlineIds?: ReadonlySet<string>;
  /** Still loading: nothing is claimed about who is here yet. */
  loading?: boolean;
  /** On narrow screens the list is a drawer: whether it is shown, and how it closes. */
  open?: boolean;
  onClose?: () => void;
  /** Controls shown beside a being's row (e.g. its owner's settings button), or nothing. */
  actions?: (being: BeingItem) => ReactNode;
  /** Below the list: what the viewer may add to the space. */
  footer?: ReactNode;
}) {
  const sorted = [...beings].sort(
    (a, b) => byListOrder(a.type, b.type) || compareNames(a.name, b.name) || compareCodeUnits(a.id, b.id),
  );
  return (
    <aside id={id} className={`${styles.aside} ${open ? styles.open : ''}`} aria-labelledby="beings-heading">
      <h2 id="beings-heading" className={styles.heading}>
        In this space {!loading && <span className={styles.count}>{beings.length}</span>}
        {onClose && (
          <button
            type="button"
            className={styles.close}
            onClick={onClose}
            aria-label="Close the list of beings"
          >
            ×
          </button>
        )}
      </h2>
      {loading ? (
        <p className={styles.empty}>Loading…</p>
      ) : sorted.length === 0 ? (
        <p className={styles.empty}>No one is here yet.</p>
      ) : (
        <ul className={styles.list} aria-label="Beings in this space">
          {sorted.map((being) => (
            <li key={being.id} className={styles.row}>
              <Link href={beingHref(being.id)} className={styles.item}>
                <span className={styles.avatarWrap}>
                  <Avatar being={being} size={28} />
                  {onlineIds?.has(being.id) && <span className={styles.online} title="Here now" />}
                </span>
                <span className={styles.text}>
                  <span className={styles.name}>
                    {being.name}
                    {being.id === myBeingId && <span className={styles.you}> (you)</span>}
                  </span>
                  <span className={styles.type}>{beingTraits[being.type].label}</span>
                </span>
              </Link>
              {actions?.(being)}
            </li>
          ))}
        </ul>
      )}
      {footer}
    </aside>
  );
}
