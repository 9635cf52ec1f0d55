'use client';

import { usePathname } from 'next/navigation';
import { useMemo } from 'react';
import { LIMITS } from '@/domain/limits';
import { useMe } from '@/lib/use-me';
import { ConnectionIndicator } from '@/sync/ConnectionIndicator';
import { useLiveSpaceData } from '@/sync/use-live-space-data';
import { BeingList } from './BeingList';
import { Composer, ComposerSignedOut } from './Composer';
import { MembershipButton } from './MembershipButton';
import { MessageLog } from './MessageLog';
import { SpaceHeader } from './SpaceHeader';
import { SpaceIntro } from './SpaceIntro';
import styles from './SpaceView.module.css';
import type { BeingItem } from './types';
import { useAuthors } from './use-authors';
import { useMembership } from './use-membership';

/** A space: header, conversation, composer, and the beings in it. Its data is live (`useLiveSpaceData`). */
export function SpaceView({ space }: { space: BeingItem }) {
  const me = useMe();
  const data = useLiveSpaceData(space.id);
  const onlineIds = useMemo(() => new Set(data.presence.map((entry) => entry.beingId)), [data.presence]);
  const authors = useAuthors(data.beings, data.intentions, me.being ?? undefined);
  const pathname = usePathname();
  const myId = me.being?.id;
  const isOwner = Boolean(myId) && space.ownerId === myId;
  const membership = useMembership(space.id, myId);

  return (
    <div className={styles.space}>
      <div className={styles.conversation}>
        <SpaceHeader space={data.space ?? space} canEdit={isOwner} memberCount={data.beings.length}>
          <ConnectionIndicator status={data.connection} presence={data.presence} />
          <MembershipButton membership={membership} isOwner={isOwner} />
        </SpaceHeader>
        <MessageLog
          intentions={data.intentions}
          authors={authors}
          myBeingId={myId}
          status={data.status}
          error={data.error}
          onRetry={data.retry}
          hasEarlier={data.history.hasEarlier}
          loadingEarlier={data.history.loadingEarlier}
          onLoadEarlier={data.history.loadEarlier}
          intro={(empty) => <SpaceIntro space={space} empty={empty} />}
        />
        {me.being === null ? (
          <ComposerSignedOut signInHref={`/sign-in?next=${encodeURIComponent(pathname)}`} />
        ) : (
          <Composer spaceName={space.name} onSend={data.post} maxLength={LIMITS.utteranceMax} />
        )}
      </div>
      <BeingList beings={data.beings} myBeingId={myId} onlineIds={onlineIds} />
    </div>
  );
}
