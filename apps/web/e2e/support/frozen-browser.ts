import { readdirSync, readFileSync } from 'node:fs';

/** Every process under `root` (itself included): a Chromium's browser, zygotes, renderers, network service. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // it ended while we looked
    }
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const tree: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * Silences a whole browser the way a lost network silences a person: every process stops, so nothing
 * leaves it (no leave, no close, no WebRTC), and nothing it holds is closed either. Returns the thaw.
 */
export function freezeBrowser(root: number): () => void {
  const frozen = processTree(root);
  for (const pid of frozen) signal(pid, 'SIGSTOP');
  return () => {
    for (const pid of frozen) signal(pid, 'SIGCONT');
  };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    // A process that ended meanwhile needs nothing more.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
