import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startAppServer } from '@rhizom/web/e2e/app-server';
import { ensureBuilt } from '@rhizom/web/e2e/build';
import { buildInputsDigest, buildIsFresh } from '@rhizom/web/scripts/build-freshness';
import { percentile } from './stats.ts';
import { burst, guest, mutate, type Session } from './web-client.ts';

/**
 * `npm run bench:web-posts`: the server side of bench:web without a browser. The product as `npm start` runs it,
 * 20 writers posting RATE messages a second for SECONDS through tRPC; reports the posts/s achieved, the answer
 * times, and the CPU the app's HTTP server process and the launcher (which hosts the embedded SFU) spent per post,
 * read from /proc, and how long the space's page HTML (every 1 s) and one of its scripts (every 250 ms) took
 * to arrive when fetched during the burst.
 * BENCH_CPU_PROF=<dir> also writes a V8 CPU profile of both over the burst into <dir> (`cpu-profile.mjs`).
 */

const appDir = fileURLToPath(new URL('../apps/web/', import.meta.url));
const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PROFILE_DIR = process.env.BENCH_CPU_PROF;

/** CPU time (user + system, ms) a process has used so far. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

function childPid(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ');
  if (!children[0]) throw new Error(`process ${pid} has no child`);
  return Number(children[0]);
}

async function main() {
  if (!buildIsFresh(appDir, buildInputsDigest(appDir))) {
    console.log('building the app (takes a few minutes on a busy machine)…');
    await ensureBuilt(appDir);
  }
  const app = await startAppServer(
    appDir,
    PROFILE_DIR
      ? { NODE_OPTIONS: `--import ${fileURLToPath(new URL('./cpu-profile.mjs', import.meta.url))}` }
      : {},
  );
  try {
    const owner = await guest(app.url, 'Bench Owner');
    const writers: Session[] = [];
    for (let i = 0; i < 20; i++) writers.push(await guest(app.url, `Writer ${i}`));
    const space = (await mutate(app.url, owner, 'being.create', { name: 'Busy bench', type: 'space' })) as {
      id: string;
    };
    // A script the sign-in page loads: what a browser opening a page during the burst waits for.
    const html = await (await fetch(`${app.url}/sign-in`)).text();
    const script = html.match(/\/_next\/static\/[^"']+\.js/)?.[0];
    if (!script) throw new Error('the sign-in page names no script');
    // Warm up: Next.js compiles and caches each route on first use.
    await burst(app.url, writers, space.id, 10, 2);
    const server = childPid(app.pid);
    const profiled = [server, app.pid];
    if (PROFILE_DIR) for (const pid of profiled) process.kill(pid, 'SIGUSR2');
    const before = { server: cpuMs(server), launcher: cpuMs(app.pid) };
    // What a browser opening the space during the burst waits for: its HTML, and a script it loads.
    const timed = async (path: string, headers: Record<string, string> = {}) => {
      const started = Date.now();
      const response = await fetch(`${app.url}${path}`, { headers });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return Date.now() - started;
    };
    const scriptMs: number[] = [];
    const pageMs: number[] = [];
    let bursting = true;
    const probe = async (into: number[], path: string, headers: Record<string, string>, everyMs: number) => {
      while (bursting) {
        into.push(await timed(path, headers));
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
    };
    const probing = Promise.all([
      probe(scriptMs, script, {}, 250),
      probe(pageMs, `/being/${space.id}`, { cookie: owner.cookie }, 1_000),
    ]);
    const { sent, answeredMs, latenciesMs } = await burst(app.url, writers, space.id, RATE, SECONDS);
    bursting = false;
    await probing;
    const spent = { server: cpuMs(server) - before.server, launcher: cpuMs(app.pid) - before.launcher };
    if (PROFILE_DIR) {
      for (const pid of profiled) process.kill(pid, 'SIGUSR2');
      // Written once each process's profiler has stopped: the file appears within moments.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    console.log(`\nbench:web-posts — ${sent} posts at ${RATE}/s for ${SECONDS} s`);
    console.log(
      `  answered within ${answeredMs} ms: ${((sent * 1000) / answeredMs).toFixed(1)}/s achieved; ` +
        `answer time p50 ${percentile(latenciesMs, 50)} ms, p95 ${percentile(latenciesMs, 95)} ms, max ${Math.max(...latenciesMs)} ms`,
    );
    const spread = (values: number[]) =>
      `p50 ${percentile(values, 50)} ms, max ${Math.max(...values)} ms (${values.length} fetches)`;
    console.log(
      `  during the burst, the space's page HTML: ${spread(pageMs)}; one of its scripts: ${spread(scriptMs)}`,
    );
    console.log(
      `  app server process: ${(spent.server / sent).toFixed(1)} ms CPU per post, ` +
        `${((spent.server / answeredMs) * 100).toFixed(0)}% of a core over the burst`,
    );
    console.log(
      `  launcher (embedded SFU): ${(spent.launcher / sent).toFixed(1)} ms CPU per post, ` +
        `${((spent.launcher / answeredMs) * 100).toFixed(0)}% of a core`,
    );
  } finally {
    await app.close();
  }
}

await main();
