import { type ComponentProps, memo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';
import styles from './Markdown.module.css';
import { isPlainText } from './plain-text';

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

/**
 * Renders user Markdown (GFM), with line breaks where people typed them (a chat, not a document).
 * Raw HTML is skipped, never rendered. Parsing is most of what a message costs to render, so a plain line
 * skips it (same output), and a message re-rendered for other reasons (its author, its neighbours) with
 * the same text is not parsed again.
 */
export const Markdown = memo(function Markdown({ children }: { children: string }) {
  return (
    <div className={styles.markdown}>
      {isPlainText(children) ? (
        <p>{children}</p>
      ) : (
        <ReactMarkdown remarkPlugins={REMARK_PLUGINS} skipHtml components={components}>
          {children}
        </ReactMarkdown>
      )}
    </div>
  );
});
