import { trpcRoute } from '@/server/trpc-http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export { trpcRoute as GET, trpcRoute as POST };
