import { serveParent } from './child-process.ts';
import { startWsBroadcast } from './ws-broadcast.ts';

/** The ws floor in its own process, so bench:sfu measures its CPU and memory apart from the clients. */
const broadcast = await startWsBroadcast();
serveParent(broadcast.url, () => broadcast.close());
