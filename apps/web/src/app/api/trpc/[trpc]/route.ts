import { getRuntime } from '@/server/runtime';
import { handleTrpcRequest } from '@/server/trpc-http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function handle(request: Request): Promise<Response> {
  return handleTrpcRequest(await getRuntime(), request);
}

export { handle as GET, handle as POST };
