'use client';

import { memo, type ReactElement, Suspense, use } from 'react';
import styles from './Markdown.module.css';
import { isPlainText } from './plain-text';

let render: ((text: string) => ReactElement) | undefined;
let loading: Promise<(text: string) => ReactElement> | undefined;

/**
 * Loads the Markdown parser (micromark, GFM: 190 kB of script) in a chunk of its own, so a page's
 * hydration neither waits for it nor runs it; a page that will show messages starts this early.
 */
export function loadMarkdown(): Promise<(text: string) => ReactElement> {
  loading ??= import('./render-markdown').then((module) => {
    render = module.renderMarkdown;
    return render;
  });
  return loading;
}

// On the server the parser loads with this module, as the server starts (it renders its front door then):
// the first page with a formatted message used to wait for the import, 0.2 s of CPU in bench:web's burst.
if (typeof window === 'undefined') void loadMarkdown();

function Formatted({ text }: { text: string }) {
  return (render ?? use(loadMarkdown()))(text);
}

/**
 * Renders user Markdown (GFM), with line breaks where people typed them (a chat, not a document).
 * Raw HTML is skipped, never rendered. Parsing is most of what a message costs to render, so a plain line
 * skips it (same output), and a text is parsed once however often it renders. Until the parser has
 * loaded, the text shows as it was typed.
 */
export const Markdown = memo(function Markdown({ children }: { children: string }) {
  return (
    <div className={styles.markdown}>
      {isPlainText(children) ? (
        <p>{children}</p>
      ) : (
        <Suspense fallback={<p className={styles.unformatted}>{children}</p>}>
          <Formatted text={children} />
        </Suspense>
      )}
    </div>
  );
});
