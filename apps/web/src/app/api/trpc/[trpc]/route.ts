import { withAccessLog } from '@/server/access-log';
import { handleTrpcRequest } from '@/server/trpc-http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const handle = withAccessLog((request, app, access) => handleTrpcRequest(app, request, access));

export { handle as GET, handle as POST };
