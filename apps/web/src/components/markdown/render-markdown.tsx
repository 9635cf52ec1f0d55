import type { ComponentProps, ReactElement } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';
import styles from './Markdown.module.css';

const REMARK_PLUGINS = [remarkGfm, remarkBreaks];

/**
 * External links leave the app in a new tab; the default URL transform already drops `javascript:`.
 * Images are never loaded: a remote image would tell its host who read the message and when (a tracking
 * pixel). Each becomes a link the reader may open; the CSP (`img-src 'self' data: blob:`) backs this up.
 */
const components: Components = {
  a: ({ node: _node, ...props }: ComponentProps<'a'> & { node?: unknown }) => (
    <a {...props} target="_blank" rel="noopener noreferrer nofollow" />
  ),
  img: ({ src, alt }: ComponentProps<'img'> & { node?: unknown }) => {
    const href = typeof src === 'string' ? src : '';
    return (
      <a
        href={href}
        className={styles.image}
        target="_blank"
        rel="noopener noreferrer nofollow"
        title="Images are not loaded here; open it in a new tab"
      >
        Image: {alt || hostOf(href) || 'untitled'}
      </a>
    );
  },
};

function hostOf(href: string): string | null {
  try {
    return new URL(href).host;
  } catch {
    return null;
  }
}

/** Texts parsed lately and what they render to: a few screens of messages. */
const CACHE_SIZE = 500;
const parsed = new Map<string, ReactElement>();

/**
 * The elements Markdown `text` renders to (GFM, line breaks where people typed them, raw HTML skipped),
 * parsed once: the log renders in interruptible slices (see `MessageLog`), and a slice thrown away for a
 * newer update must not cost its parses again when React starts over.
 */
export function renderMarkdown(text: string): ReactElement {
  let element = parsed.get(text);
  if (element) {
    // Most recently used last, so the oldest entry is the first to go.
    parsed.delete(text);
  } else {
    // react-markdown parses synchronously and returns plain elements, which React may reuse anywhere.
    element = ReactMarkdown({ children: text, remarkPlugins: REMARK_PLUGINS, skipHtml: true, components });
    if (parsed.size >= CACHE_SIZE) parsed.delete(parsed.keys().next().value as string);
  }
  parsed.set(text, element);
  return element;
}
