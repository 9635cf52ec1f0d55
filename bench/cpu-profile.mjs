// Preloaded into the app's processes by bench:web-posts (`NODE_OPTIONS=--import …`, since Node 20 refuses
// --cpu-prof there): the first SIGUSR2 starts V8's CPU profiler, the second writes
// <BENCH_CPU_PROF>/<pid>.cpuprofile (open it in Chrome DevTools), so the profile covers the burst only.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROF;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
      );
      running = true;
      return;
    }
    session.post('Profiler.stop', (error, result) => {
      if (error) throw error;
      writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
    running = false;
  });
}
