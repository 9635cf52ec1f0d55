import { withAccessLog } from '@/server/access-log';

/**
 * LiveKit webhooks (our SFU or LiveKit Cloud): participant joins and leaves keep the server's presence
 * view. The signature (`Authorization` JWT with the body's SHA-256) is checked before anything is read.
 */
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = withAccessLog(async (request, app) => {
  const body = await request.text();
  try {
    await app.sync.receiveWebhook(body, request.headers.get('authorization') ?? undefined);
  } catch (error) {
    app.logger.warn({ err: error }, 'rejected a LiveKit webhook');
    return Response.json(
      { error: 'Webhook rejected: the Authorization header must be a LiveKit token signed for this body.' },
      { status: 401 },
    );
  }
  return Response.json({ ok: true });
});
