import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism, setPriority } from 'node:os';

/**
 * The cores and priorities bench:sync gives the server side and the clients. In production the app, its database and the
 * SFU run on servers, and each person's client on a device of its own; on one machine, 50 clients' WebRTC
 * stacks would otherwise take both cores from the app and from the probe client. So the server side (this
 * process, its threads and its children: app, PGlite, broadcaster, SFU) and the probe keep the first half of
 * the cores, and the other clients get the second half. The probe stands for one person's device, where
 * nothing else runs: it runs at a higher priority than the server side it shares cores with. Linux
 * `taskset`; without it, or with one core, or with BENCH_PIN=0, nothing is pinned and the bench says so.
 */
export interface CpuPlan {
  /** taskset list for the server side and the probe, e.g. "0". */
  server: string;
  /** taskset list for the other clients, e.g. "1". */
  clients: string;
}

export function cpuPlan(): CpuPlan | null {
  const cores = availableParallelism();
  if (process.env.BENCH_PIN === '0' || process.platform !== 'linux' || cores < 2) return null;
  const half = Math.floor(cores / 2);
  const plan = { server: range(0, half - 1), clients: range(half, cores - 1) };
  return pin(process.pid, plan.server) ? plan : null;
}

/** Every thread of `pid` onto `cpus`; threads it starts later inherit it. False if taskset failed. */
export function pin(pid: number, cpus: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Every thread `pid` has now (Linux sets priorities per thread) to `priority`; later ones inherit it. */
export function prioritize(pid: number, priority: number): void {
  for (const thread of readdirSync(`/proc/${pid}/task`)) setPriority(Number(thread), priority);
}

export function describePlan(plan: CpuPlan | null): string {
  return plan
    ? `server side and probe on CPU ${plan.server} (the probe first), the other clients on CPU ${plan.clients}`
    : 'no CPU pinning (BENCH_PIN=0, one core, or no taskset)';
}

function range(from: number, to: number): string {
  return from === to ? String(from) : `${from}-${to}`;
}
