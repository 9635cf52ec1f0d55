'use client';

import type { BeingView } from '@rhizom/sync';
import { useQuery } from '@tanstack/react-query';
import { SpaceView } from '@/components/space/SpaceView';
import { ErrorState, LoadingState } from '@/components/ui/States';
import { errorCode, errorMessage } from '@/lib/error-message';
import { useTRPC } from '@/lib/trpc';
import { useMe } from '@/lib/use-me';
import type { PageSnapshot } from '@/sync/sync-client';
import styles from './BeingPage.module.css';
import { BeingProfile } from './BeingProfile';
import { NothingHere } from './NothingHere';

/**
 * Shows a being: a space as a conversation, anything else as a profile. `initial` is the being as the
 * server loaded it for this page, so the page (the composer among it) is in the server's HTML instead of
 * waiting for the scripts and then a request to a server that may be busy. `signedIn` is whether the server
 * found a session for this page, until the browser's own answer arrives. `firstMessages`: a space's
 * snapshot, streamed into the same response once the server has it.
 */
export function BeingPage({
  id,
  initial,
  signedIn,
  firstMessages,
}: {
  id: string;
  initial?: BeingView;
  signedIn?: boolean;
  firstMessages?: Promise<PageSnapshot | null>;
}) {
  const trpc = useTRPC();
  const me = useMe();
  const being = useQuery({ ...trpc.being.get.queryOptions({ id }), initialData: initial });

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
  if (being.data.type === 'space')
    return <SpaceView space={being.data} signedIn={signedIn} firstMessages={firstMessages} />;
  return (
    <BeingProfile being={being.data} canEdit={Boolean(me.being) && being.data.ownerId === me.being?.id} />
  );
}
