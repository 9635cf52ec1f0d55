'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { SpaceView } from '@/components/space/SpaceView';
import { ErrorState, LoadingState } from '@/components/ui/States';
import { errorCode, errorMessage } from '@/lib/error-message';
import { useTRPC } from '@/lib/trpc';
import { useMe } from '@/lib/use-me';
import styles from './BeingPage.module.css';
import { BeingProfile } from './BeingProfile';

/** Loads a being by id and shows it: a space as a conversation, anything else as a profile. */
export function BeingPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const me = useMe();
  const being = useQuery(trpc.being.get.queryOptions({ id }));

  if (being.isPending) {
    return (
      <div className={styles.center}>
        <LoadingState label="Opening…" />
      </div>
    );
  }
  if (being.isError) {
    const code = errorCode(being.error);
    if (code === 'NOT_FOUND' || code === 'BAD_REQUEST') {
      return (
        <div className={styles.center}>
          <ErrorState
            title="Nothing here"
            message={
              code === 'BAD_REQUEST'
                ? errorMessage(being.error)
                : `${id} does not exist, or it is a private space you are not a member of.`
            }
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
    return (
      <div className={styles.center}>
        <ErrorState
          title="This page could not be loaded"
          message={errorMessage(being.error)}
          onRetry={() => void being.refetch()}
        />
      </div>
    );
  }
  if (being.data.type === 'space') return <SpaceView space={being.data} />;
  return (
    <BeingProfile being={being.data} canEdit={Boolean(me.being) && being.data.ownerId === me.being?.id} />
  );
}
