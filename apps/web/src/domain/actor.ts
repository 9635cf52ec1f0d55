/**
 * Who is acting, as read from stored rows (the session's user and their being), never from the request.
 * `null` is an anonymous visitor with no session.
 */
export interface Actor {
  beingId: string;
  superuser: boolean;
}

export type Viewer = Actor | null;
