'use client';

import { useQueryClient } from '@tanstack/react-query';
import { usePathname } from 'next/navigation';
import { memo, Suspense, useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { AddBot } from '@/components/bots/AddBot';
import { BotSettingsButton } from '@/components/bots/BotSettingsButton';
import { Link } from '@/components/ui/Link';
import { ErrorState } from '@/components/ui/States';
import { LIMITS } from '@/domain/limits';
import { beingHref, nameFromId } from '@/lib/being-id';
import { useTRPC } from '@/lib/trpc';
import { type Me, useMe } from '@/lib/use-me';
import { ConnectionIndicator } from '@/sync/ConnectionIndicator';
import type { PageSnapshot } from '@/sync/sync-client';
import { type LiveSpaceData, useLiveSpaceData } from '@/sync/use-live-space-data';
import { BeingList } from './BeingList';
import { Composer, ComposerSignedOut } from './Composer';
import { FirstMessages } from './FirstMessages';
import { MembershipButton } from './MembershipButton';
import { MessageLog, type MessageLogProps } from './MessageLog';
import { MESSAGE_PARAM, type MessageActions, MessageActionsContext, messageLink } from './message-actions';
import { SpaceHeader } from './SpaceHeader';
import { SpaceIntro } from './SpaceIntro';
import styles from './SpaceView.module.css';
import { shownSpace } from './shown-space';
import type { BeingItem, IntentionItem } from './types';
import { useAuthors } from './use-authors';
import { type Membership, useMembership } from './use-membership';

/**
 * A space: header, conversation, composer, and the beings in it. Its data is live (`useLiveSpaceData`).
 * Each part is a Suspense boundary, so React hydrates them apart: in slices between which the page
 * answers, and a click on the composer before the page is hydrated hydrates the composer alone at once.
 *
 * The data hooks live here and the parts in `SpaceParts`, which is given their values deferred. Why: React
 * Query and sessions answer through `useSyncExternalStore`, whose every change React renders at once, in one
 * task; a part not hydrated yet that such a render hands new props is hydrated in that task too. While a busy
 * space loads, the session, the members and the membership all answer within a second: each answer held the
 * main thread for hundreds of milliseconds. Deferred, such a render stops here (the parts keep the values
 * they had) and the parts follow in a render React slices.
 *
 * `firstMessages`: the snapshot the page was rendered with (its newest messages are in the server's HTML).
 */
export function SpaceView({
  space,
  signedIn,
  firstMessages,
}: {
  space: BeingItem;
  signedIn?: boolean;
  firstMessages?: Promise<PageSnapshot | null>;
}) {
  const me = useMe();
  // A visitor is shown the sign-in prompt from the server's HTML on, not a composer until their session is known.
  const signedOut = me.being === null || (me.being === undefined && signedIn === false);
  const data = useLiveSpaceData(space.id, firstMessages);
  const membership = useMembership(space.id, me.being?.id);
  const pathname = usePathname();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Live edits to the space (name, description) show at once; the loaded row is the fallback, and the
  // source of a description too large for sync, loaded again when the live row is newer.
  const { space: current, stale } = shownSpace(data.space, space);
  useEffect(() => {
    if (stale) void queryClient.invalidateQueries({ queryKey: trpc.being.get.queryKey({ id: space.id }) });
  }, [stale, queryClient, trpc, space.id]);
  const deferred = {
    current: useDeferredValue(current),
    data: useDeferredValue(data),
    me: useDeferredValue(me.being),
    signedOut: useDeferredValue(signedOut),
    membership: useDeferredValue(membership),
  };
  return <SpaceParts space={space} pathname={pathname} firstMessages={firstMessages} {...deferred} />;
}

interface SpacePartsProps {
  space: BeingItem;
  /** The space as shown: its live row once loaded, else the loaded one. */
  current: BeingItem;
  data: LiveSpaceData;
  me: Me['being'];
  signedOut: boolean;
  membership: Membership;
  pathname: string;
  firstMessages?: Promise<PageSnapshot | null>;
}

const SpaceParts = memo(function SpaceParts({
  space,
  current,
  data,
  me,
  signedOut,
  membership,
  pathname,
  firstMessages,
}: SpacePartsProps) {
  const onlineIds = useMemo(() => new Set(data.presence.map((entry) => entry.beingId)), [data.presence]);
  const authors = useAuthors(data.people, data.intentions, me ?? undefined);
  const myId = me?.id;
  const isOwner = Boolean(myId) && space.ownerId === myId;
  // Removed from the space (it went private, we left, it was deleted); the rail follows its own streams.
  const denied = data.connection === 'denied';
  // On narrow screens the beings list is a drawer the header opens.
  const [beingsOpen, setBeingsOpen] = useState(false);
  const [replyingTo, setReplyingTo] = useState<IntentionItem>();
  // A message link (`?message=id`), read once the page is in the browser.
  const [focusId, setFocusId] = useState<string>();
  useEffect(() => {
    setFocusId(new URLSearchParams(window.location.search).get(MESSAGE_PARAM) ?? undefined);
  }, []);
  const { edit, remove } = data;
  const actions = useMemo<MessageActions>(
    () => ({
      myBeingId: myId,
      spaceOwnerId: space.ownerId,
      reply: setReplyingTo,
      edit,
      remove,
      linkTo: (id) => messageLink(window.location.origin, beingHref(space.id), id),
    }),
    [myId, space.ownerId, space.id, edit, remove],
  );
  const cancelReply = useCallback(() => setReplyingTo(undefined), []);
  const replyAuthor = replyingTo
    ? (authors.get(replyingTo.ownerId)?.name ?? nameFromId(replyingTo.ownerId))
    : undefined;
  const log: MessageLogProps = {
    focusId,
    waitingIds: data.waitingIds,
    intentions: data.intentions,
    authors,
    myBeingId: myId,
    status: data.status,
    error: data.error,
    onRetry: data.retry,
    hasEarlier: data.history.hasEarlier,
    loadingEarlier: data.history.loadingEarlier,
    onLoadEarlier: data.history.loadEarlier,
    intro: (empty) => <SpaceIntro space={current} empty={empty} />,
  };

  return (
    <div className={styles.space}>
      <div className={styles.conversation}>
        <Suspense>
          <SpaceHeader
            space={current}
            canEdit={isOwner}
            memberCount={data.status === 'ready' ? data.memberCount : undefined}
          >
            <ConnectionIndicator status={data.connection} presence={data.presence} />
            {!denied && <MembershipButton membership={membership} isOwner={isOwner} />}
            <button
              type="button"
              className={`button button-quiet ${styles.beingsToggle}`}
              aria-expanded={beingsOpen}
              aria-controls="space-beings"
              onClick={() => setBeingsOpen((open) => !open)}
            >
              Beings
            </button>
          </SpaceHeader>
        </Suspense>
        {denied ? (
          <ErrorState
            title="You can no longer see this space"
            message="It became private, you left it, or it was deleted. Nothing more reaches this page."
          >
            <Link className="button" href="/being/@intraliminal">
              Go to #intraliminal
            </Link>
          </ErrorState>
        ) : (
          <MessageActionsContext.Provider value={actions}>
            <Suspense fallback={<MessageLog {...log} />}>
              <FirstMessages first={firstMessages} {...log} />
            </Suspense>
          </MessageActionsContext.Provider>
        )}
        {denied ? null : signedOut ? (
          <ComposerSignedOut signInHref={`/sign-in?next=${encodeURIComponent(pathname)}`} />
        ) : (
          <Suspense>
            <Composer
              spaceName={current.name}
              onSend={data.post}
              maxLength={LIMITS.utteranceMax}
              replyingTo={
                replyingTo && replyAuthor ? { id: replyingTo.id, authorName: replyAuthor } : undefined
              }
              onCancelReply={cancelReply}
            />
          </Suspense>
        )}
      </div>
      {!denied && (
        <Suspense>
          <BeingList
            id="space-beings"
            beings={data.beings}
            myBeingId={myId}
            onlineIds={onlineIds}
            loading={data.status === 'loading'}
            open={beingsOpen}
            onClose={() => setBeingsOpen(false)}
            actions={(being) =>
              being.type === 'bot' && myId && being.ownerId === myId ? (
                <BotSettingsButton bot={being} />
              ) : null
            }
            footer={me ? <AddBot spaceId={current.id} spaceName={current.name} /> : null}
          />
        </Suspense>
      )}
    </div>
  );
});
