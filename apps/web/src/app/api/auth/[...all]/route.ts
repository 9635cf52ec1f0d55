import { withAccessLog } from '@/server/access-log';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const handle = withAccessLog((request, app) => app.auth.handler(request));

export { handle as GET, handle as POST };
