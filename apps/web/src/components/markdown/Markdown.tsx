import type { ComponentProps } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';
import styles from './Markdown.module.css';

const REMARK_PLUGINS = [remarkGfm, remarkBreaks];

/** External links leave the app in a new tab; the default URL transform already drops `javascript:`. */
const components: Components = {
  a: ({ node: _node, ...props }: ComponentProps<'a'> & { node?: unknown }) => (
    <a {...props} target="_blank" rel="noopener noreferrer nofollow" />
  ),
};

/**
 * Renders user Markdown (GFM), with line breaks where people typed them (a chat, not a document).
 * Raw HTML is skipped, never rendered.
 */
export function Markdown({ children }: { children: string }) {
  return (
    <div className={styles.markdown}>
      <ReactMarkdown remarkPlugins={REMARK_PLUGINS} skipHtml components={components}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
