'use client';

import type { PresenceEntry, SyncStatus } from '@rhizom/sync/client';
import styles from './ConnectionIndicator.module.css';

const LABELS: Record<SyncStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  denied: 'No access',
};

/** A dot and a word: is this space live? Hover shows who is here. */
export function ConnectionIndicator({
  status,
  presence,
  error,
}: {
  status: SyncStatus;
  presence: readonly PresenceEntry[];
  error?: string | null;
}) {
  const here = presence.map((entry) => entry.name).join(', ');
  const title = error ?? (status === 'live' && here ? `Here now: ${here}` : LABELS[status]);
  return (
    <span className={styles.indicator} data-status={status} role="status" aria-live="polite" title={title}>
      <span className={styles.dot} aria-hidden="true" />
      <span className={styles.label}>{LABELS[status]}</span>
      {status === 'live' && presence.length > 0 && (
        <span className={styles.count}>· {presence.length} here</span>
      )}
    </span>
  );
}
