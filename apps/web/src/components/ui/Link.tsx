import NextLink from 'next/link';
import type { ComponentProps } from 'react';

/**
 * The app's links: Next.js's, never prefetched. Every route here is rendered per request, so a prefetch is a
 * server render of a page nobody asked for yet, one per link in view or hovered: the rail's spaces, the
 * beings listed, each message's author. A busy server then answers the page's own requests later; a
 * click costs one round trip instead.
 */
export function Link(props: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={false} {...props} />;
}
