'use client';

import {
  Fragment,
  type ReactNode,
  startTransition,
  useCallback,
  useDeferredValue,
  useEffect,
  useEffectEvent,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { loadMarkdown } from '@/components/markdown/Markdown';
import { ErrorState, LoadingState } from '@/components/ui/States';
import { nameFromId } from '@/lib/being-id';
import { toDate } from '@/lib/format-time';
import { useClockReady } from '@/lib/use-clock-ready';
import { useHydrated } from '@/lib/use-hydrated';
import { LOG_WINDOW } from '@/sync/limits';
import { continuesPrevious, dayBreak } from './group-messages';
import { Message, type QuotedMessage } from './Message';
import styles from './MessageLog.module.css';
import type { BeingItem, IntentionItem } from './types';

/** How close to the bottom (px) still counts as "following the conversation". */
const FOLLOW_THRESHOLD = 120;
/** How close to the top (px) reveals earlier messages (then loads older pages) while scrolling up. */
const EARLIER_THRESHOLD = 400;
/**
 * New messages are added below the window, and the oldest leave it this many at a time: a row leaving the
 * top moves every row under it, and Chromium then paints all of them again, each frame of a busy space.
 */
const TRIM_ROWS = 20;
/**
 * A space opens with this many of its newest messages, and the window grows by GROW_ROWS a frame up to
 * LOG_WINDOW: a message costs milliseconds to render on a slow phone, so no single task renders dozens.
 */
const FIRST_ROWS = 12;
const GROW_ROWS = 6;
/** How many more a scroll to the top reveals at once. */
const WINDOW_STEP = 20;

export interface MessageLogProps {
  /** Oldest first. */
  intentions: IntentionItem[];
  authors: ReadonlyMap<string, BeingItem>;
  myBeingId: string | undefined;
  status: 'loading' | 'error' | 'ready';
  error?: string;
  onRetry?: () => void;
  hasEarlier: boolean;
  loadingEarlier: boolean;
  onLoadEarlier: () => void;
  /** Shown above the oldest message once the whole history is loaded, and alone when there is none. */
  intro: (empty: boolean) => ReactNode;
  /** A message a link pointed at: scrolled into view (loading earlier pages if needed) and highlighted. */
  focusId?: string;
  /** The reader's messages waiting for the network. */
  waitingIds?: ReadonlySet<string>;
}

/** The quote a reply shows: the answered message as loaded now, else the excerpt the reply stored. */
function quoteOf(
  intention: IntentionItem,
  byId: ReadonlyMap<string, IntentionItem>,
  authors: ReadonlyMap<string, BeingItem>,
): QuotedMessage | undefined {
  const props = intention.properties;
  const replyTo = props?.replyTo;
  if (typeof replyTo !== 'string') return undefined;
  const original = byId.get(replyTo);
  const authorId = original?.ownerId ?? (typeof props?.replyToAuthor === 'string' ? props.replyToAuthor : '');
  const excerpt = typeof props?.replyExcerpt === 'string' ? props.replyExcerpt : undefined;
  return {
    id: replyTo,
    authorName: authorId ? authorOf(authors, authorId).name : 'Someone',
    text: original ? original.content.replace(/\s+/g, ' ').trim() : excerpt,
  };
}

function authorOf(authors: ReadonlyMap<string, BeingItem>, id: string): BeingItem {
  return (
    authors.get(id) ?? {
      id,
      name: nameFromId(id),
      type: 'guest',
      ownerId: null,
      locationId: null,
      content: '',
    }
  );
}

export function MessageLog(props: MessageLogProps) {
  const { authors, myBeingId, status } = props;
  // Rows render in a transition, so React yields between messages instead of rendering all that arrived
  // (a burst) in one long task; the page answers input meanwhile. The first rows do not wait: in a busy
  // space every frame brings a message, each restarting the transition's render, and the log stayed empty
  // for seconds after its messages had arrived. FIRST_ROWS keeps that render short.
  const deferred = useDeferredValue(props.intentions);
  const all = deferred.length === 0 ? props.intentions : deferred;
  // The parser's code arrives while the messages load, so they show formatted from the first.
  useEffect(() => void loadMarkdown(), []);
  const hydrated = useHydrated();
  // Day breaks fall on the reader's calendar days, which the server does not know: none in its HTML.
  const clockReady = useClockReady();
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  // The log is windowed: while the reader follows the newest, only the last LOG_WINDOW messages are in the
  // page; scrolled up, the first rendered message is pinned (`anchor`) so nothing shifts under the reader,
  // and reaching the top reveals earlier ones, then pages in older history.
  const [anchor, setAnchor] = useState<IntentionItem>();
  const [limit, setLimit] = useState(FIRST_ROWS);
  const anchorIndex = anchor ? anchorIn(all, anchor) : -1;
  // The first message when the reader, at the top, asked for older history: the page that comes shows
  // as it arrives (in the same render), as rows kept in memory do, not above the anchor until one more
  // scroll.
  const [pagingFrom, setPagingFrom] = useState<string>();
  if (pagingFrom !== undefined && all[0]?.id !== pagingFrom) {
    setPagingFrom(undefined);
    if (anchor?.id === pagingFrom) setAnchor(all[Math.max(0, anchorIndex - WINDOW_STEP)]);
  }
  // While following: the first row stays until TRIM_ROWS more than `limit` are below it.
  const [followStart, setFollowStart] = useState<string>();
  const followIndex = followStart ? all.findIndex((row) => row.id === followStart) : -1;
  const sliding = Math.max(0, all.length - limit);
  const kept = followIndex >= 0 && followIndex <= sliding && all.length - followIndex <= limit + TRIM_ROWS;
  const start = anchorIndex >= 0 ? anchorIndex : kept ? followIndex : sliding;
  if (anchorIndex < 0 && !kept && followStart !== all[sliding]?.id) setFollowStart(all[sliding]?.id);
  useEffect(() => {
    if (limit >= LOG_WINDOW || all.length <= limit) return;
    const frame = requestAnimationFrame(() =>
      startTransition(() => setLimit((n) => Math.min(LOG_WINDOW, n + GROW_ROWS))),
    );
    return () => cancelAnimationFrame(frame);
  }, [limit, all.length]);
  const intentions = useMemo(() => all.slice(start), [all, start]);
  const firstId = intentions[0]?.id;
  // The log's height and its first row's place when last measured, and the next frame's pending work.
  const settled = useRef<Settled>({ height: 0 });
  const nextFrame = useRef({ id: 0, bottom: false, own: false, fresh: false });
  const previousFirst = useRef(firstId);
  const lastId = intentions.at(-1)?.id;
  const previousLast = useRef(lastId);
  // Someone posted while the reader was scrolled up: offer a way down instead of yanking them there.
  const [missedNew, setMissedNew] = useState(false);
  const byId = useMemo(() => new Map(all.map((row) => [row.id, row])), [all]);

  // A link to a message: page back until it is loaded, then bring it into view once.
  const { focusId, hasEarlier, loadingEarlier, onLoadEarlier } = props;
  const focused = useRef<string | undefined>(undefined);
  const focusLoaded = focusId !== undefined && byId.has(focusId);
  // The link's message is in none of the space's history (deleted since): said once, and the log opens at
  // its newest messages as without a link.
  const [linkGone, setLinkGone] = useState(false);
  useEffect(() => {
    if (!focusId || focused.current === focusId || status !== 'ready') return;
    if (!focusLoaded) {
      if (hasEarlier) {
        if (!loadingEarlier) onLoadEarlier();
        return;
      }
      focused.current = focusId;
      nextFrame.current.bottom = false;
      setLinkGone(true);
      const el = scroller.current;
      if (el) el.scrollTop = el.scrollHeight;
      return;
    }
    const index = all.findIndex((row) => row.id === focusId);
    if (index < start) {
      // Loaded but outside the window: widen it to a little before the message.
      following.current = false;
      setAnchor(all[Math.max(0, index - 10)]);
      return;
    }
    const el = scroller.current && rowOf(scroller.current, focusId);
    if (!el) return;
    focused.current = focusId;
    following.current = false;
    nextFrame.current.bottom = false;
    el.scrollIntoView({ block: 'center' });
  }, [focusId, focusLoaded, status, hasEarlier, loadingEarlier, onLoadEarlier, all, start]);

  const hiddenEarlier = start > 0;
  const showEarlier = useCallback(() => {
    if (start > 0) setAnchor(all[Math.max(0, start - WINDOW_STEP)]);
    else if (hasEarlier && !loadingEarlier) {
      setPagingFrom(all[0]?.id);
      onLoadEarlier();
    }
  }, [all, start, hasEarlier, loadingEarlier, onLoadEarlier]);
  // A reader who reached the top when there was nothing to load yet (the log showing the page's messages
  // while live sync loads, which pages nothing in) or whom a short page left at the top gets no further
  // scroll event: go on as a scroll would, once loading earlier means something new (`onLoadEarlier`
  // changes with the oldest message known), a load has finished, or what lies above the window changed.
  // The last because rows render deferred: live sync that loads a whole history (its first load failed
  // and a retry took a full snapshot, 70 messages where the page had 60) can change `onLoadEarlier` in a
  // render that still shows the page's rows, with nothing above them and nothing to load; the next render
  // puts 10 above the window (`start` 0 → 10) and, without another look, the reader waited at the top
  // under "Show earlier messages" (page-messages, once in 6 runs under load). Read only when scrolled up,
  // so a log following a busy space never lays out here.
  const stillAtTop = useEffectEvent(() => {
    const el = scroller.current;
    if (!el || following.current || (focusId && focused.current !== focusId)) return;
    if (el.scrollTop < EARLIER_THRESHOLD) showEarlier();
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: onLoadEarlier, start and hasEarlier are triggers, not inputs
  useEffect(() => {
    if (hydrated && status === 'ready' && !loadingEarlier) stillAtTop();
  }, [hydrated, status, loadingEarlier, onLoadEarlier, start, hasEarlier]);

  // Keep the newest message in view while the reader is at the bottom, and keep the reader's place
  // when earlier messages are prepended above them. Until hydrated, the log is `pinned` (CSS) instead.
  //
  // Following the bottom waits for the next frame: reading the log's height right after a commit forces
  // the browser to lay the page out inside the commit's task, which the frame then does anyway. In
  // bench:web (a busy space, 4× CPU throttling) such forced style and layout took 0.6–1.2 s of script
  // tasks per run, a third of the task that hydrates the space; 5–19 ms once it waits. The frame's
  // callback runs before that frame is painted, so the reader never sees the log off the bottom. Keeping
  // the place as earlier rows come in stays in the commit (it is rare, and a frame's delay would show the
  // jump), and measures how far the old first row moved, so rows that arrived below it since the last
  // frame do not count. A scroll between the commit and that frame is the reader's answer (its event comes
  // before the frame's callbacks): one who scrolled up stays there unless the newest message is their
  // own new one. Deciding at the commit took a reader who scrolled up in a busy space (a message each
  // frame) back down, and one who had reached the top as the window grew never got earlier messages
  // (page-messages, in CI).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !hydrated) return;
    const prepended = previousFirst.current !== firstId && !following.current;
    const lastChanged = previousLast.current !== lastId;
    previousFirst.current = firstId;
    previousLast.current = lastId;
    if (lastChanged) nextFrame.current.fresh = true;
    if (lastChanged && intentions.at(-1)?.ownerId === myBeingId) nextFrame.current.own = true;
    if (prepended && settled.current.height > 0) {
      const place = settled.current.first;
      const row = place ? rowOf(el, place.id) : null;
      el.scrollTop += place && row ? topIn(el, row) - place.top : el.scrollHeight - settled.current.height;
      nextFrame.current.bottom = false;
      settled.current = measure(el, firstId);
      return;
    }
    nextFrame.current.bottom =
      (following.current || nextFrame.current.own) && !(focusId && focused.current !== focusId);
    if (!nextFrame.current.bottom && lastChanged) setMissedNew(true);
    if (nextFrame.current.id) return;
    nextFrame.current.id = requestAnimationFrame(() => {
      nextFrame.current.id = 0;
      const { bottom, own, fresh } = nextFrame.current;
      nextFrame.current.own = false;
      nextFrame.current.fresh = false;
      if (bottom && (following.current || own)) el.scrollTop = el.scrollHeight;
      else if (bottom && fresh) setMissedNew(true);
      settled.current = measure(el, previousFirst.current);
    });
  }, [firstId, lastId, intentions, myBeingId, focusId, hydrated]);
  useEffect(() => () => cancelAnimationFrame(nextFrame.current.id), []);

  const onScroll = () => {
    const el = scroller.current;
    // While a link's message is being brought into view, the scrolls are the log's own (keeping the place
    // as rows are prepended), not the reader's. Read as the reader's, one that lands near the bottom says
    // "back at the newest" and drops the anchor the link's message needs: the window slides, the message
    // leaves the page and the log follows the bottom (seen under load, when the two fall in one frame).
    if (!el || (focusId && focused.current !== focusId)) return;
    following.current = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_THRESHOLD;
    if (following.current) {
      setMissedNew(false);
      // Back at the newest: the window slides with new messages again.
      if (anchor && el.scrollTop > EARLIER_THRESHOLD) setAnchor(undefined);
    } else if (!anchor && intentions[0]) {
      setAnchor(intentions[0]);
    }
    if (el.scrollTop < EARLIER_THRESHOLD && !following.current) showEarlier();
  };

  const jumpToLatest = () => {
    scroller.current?.scrollTo({ top: scroller.current.scrollHeight, behavior: 'smooth' });
    setMissedNew(false);
  };

  return (
    <div className={styles.frame}>
      <div
        ref={scroller}
        className={hydrated ? styles.scroller : `${styles.scroller} ${styles.pinned}`}
        role="log"
        aria-label="Messages"
        aria-busy={status === 'loading'}
        onScroll={onScroll}
      >
        {status === 'loading' && <LoadingState label="Loading messages…" />}
        {status === 'error' && (
          <ErrorState title="Messages could not be loaded" message={props.error} onRetry={props.onRetry} />
        )}
        {status === 'ready' && intentions.length === 0 && (
          <div className={styles.list}>{props.intro(true)}</div>
        )}
        {status === 'ready' && intentions.length > 0 && (
          <div className={styles.list}>
            {hiddenEarlier || props.hasEarlier ? (
              <div className={styles.earlier}>
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={showEarlier}
                  disabled={props.loadingEarlier}
                >
                  {props.loadingEarlier ? 'Loading…' : 'Show earlier messages'}
                </button>
              </div>
            ) : (
              props.intro(false)
            )}
            {intentions.map((intention, i) => {
              const previous = all[start + i - 1];
              const day = clockReady ? dayBreak(previous, intention) : undefined;
              return (
                <Fragment key={intention.id}>
                  {day && (
                    <p className={styles.day}>
                      <span>{day}</span>
                    </p>
                  )}
                  <Message
                    intention={intention}
                    author={authorOf(authors, intention.ownerId)}
                    continued={!day && continuesPrevious(previous, intention)}
                    mine={intention.ownerId === myBeingId}
                    highlighted={intention.id === focusId}
                    waiting={props.waitingIds?.has(intention.id) ?? false}
                    quoted={quoteOf(intention, byId, authors)}
                  />
                </Fragment>
              );
            })}
          </div>
        )}
      </div>
      {linkGone && (
        <p className={styles.linkGone} role="status">
          The linked message is no longer here.
          <button type="button" aria-label="Dismiss" onClick={() => setLinkGone(false)}>
            ×
          </button>
        </p>
      )}
      {missedNew && (
        <button type="button" className={styles.jump} onClick={jumpToLatest}>
          New messages ↓
        </button>
      )}
    </div>
  );
}

interface Settled {
  height: number;
  /** The first rendered row and its top in the log's content. */
  first?: { id: string; top: number };
}

/**
 * Where the window starts: the anchored row, or, once it is deleted, the first row after it, so the rows
 * the reader is looking at stay (the window used to slide to the newest and drop them). `all` is in
 * creation order.
 */
function anchorIn(all: readonly IntentionItem[], anchor: IntentionItem): number {
  const index = all.findIndex((row) => row.id === anchor.id);
  if (index >= 0) return index;
  const at = toDate(anchor.createdAt).getTime();
  return all.findIndex((row) => {
    const since = toDate(row.createdAt).getTime() - at;
    return since > 0 || (since === 0 && row.id > anchor.id);
  });
}

function rowOf(log: HTMLElement, id: string): HTMLElement | null {
  return log.querySelector<HTMLElement>(`[data-intention-id="${CSS.escape(id)}"]`);
}

/** A row's top in the log's scrolled content (unlike offsetTop, whatever the log's positioning). */
function topIn(log: HTMLElement, row: HTMLElement): number {
  return row.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop;
}

function measure(log: HTMLElement, firstId: string | undefined): Settled {
  const row = firstId ? rowOf(log, firstId) : null;
  if (!firstId || !row) return { height: log.scrollHeight };
  return { height: log.scrollHeight, first: { id: firstId, top: topIn(log, row) } };
}
