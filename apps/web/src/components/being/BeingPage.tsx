'use client';

import { useQuery } from '@tanstack/react-query';
import { SpaceView } from '@/components/space/SpaceView';
import { ErrorState, LoadingState } from '@/components/ui/States';
import { errorCode, errorMessage } from '@/lib/error-message';
import { useTRPC } from '@/lib/trpc';
import { useMe } from '@/lib/use-me';
import styles from './BeingPage.module.css';
import { BeingProfile } from './BeingProfile';
import { NothingHere } from './NothingHere';

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
      return <NothingHere id={id} message={code === 'BAD_REQUEST' ? errorMessage(being.error) : undefined} />;
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
