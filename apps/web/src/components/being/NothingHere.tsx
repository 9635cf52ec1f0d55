'use client';

import { Link } from '@/components/ui/Link';
import { ErrorState } from '@/components/ui/States';
import { useMe } from '@/lib/use-me';
import styles from './BeingPage.module.css';

/**
 * What a being page shows when there is nothing the viewer may see at `id`: the same words for a missing
 * being and a private one, so the page tells nothing about what exists. Used by the page itself and by
 * the 404 the server answers for it.
 */
export function NothingHere({ id, message }: { id: string; message?: string }) {
  const me = useMe();
  return (
    <div className={styles.center}>
      <ErrorState
        title="Nothing here"
        message={message ?? `${id} does not exist, or it is a private space you are not a member of.`}
      >
        <p className={styles.actions}>
          <Link className="button" href="/being/@intraliminal">
            Go to #intraliminal
          </Link>
          {me.being === null && (
            <Link className="button button-primary" href={`/sign-in?next=/being/${id}`}>
              Sign in
            </Link>
          )}
        </p>
      </ErrorState>
    </div>
  );
}
