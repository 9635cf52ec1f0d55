'use client';

import type { MouseEvent } from 'react';

/** The id of the space page's message box, which the skip link jumps to. */
export const MESSAGE_BOX_ID = 'message-box';

/**
 * The page's first Tab stop: straight to the message box (past the rail, the header and every link in the
 * messages), or to the main content on pages without one.
 */
export function SkipLink() {
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    const target = document.getElementById(MESSAGE_BOX_ID) ?? document.querySelector('main');
    if (!target) return;
    event.preventDefault();
    if (target instanceof HTMLElement && target.tagName === 'MAIN') target.tabIndex = -1;
    (target as HTMLElement).focus();
  };
  return (
    <a className="skip-link" href={`#${MESSAGE_BOX_ID}`} onClick={skip}>
      Skip to the message box
    </a>
  );
}
