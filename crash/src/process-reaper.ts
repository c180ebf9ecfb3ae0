import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Pids of live processes whose environment holds `name=value` (Linux `/proc`). Every process the
 * dispatcher starts inherits its environment, whatever process group or session it moved to, so a
 * token in the environment finds them all, including a shell that has not yet started the executor.
 * A zombie's environment reads empty: it is already dead.
 */
export async function pidsWithEnv(name: string, value: string): Promise<number[]> {
  const needle = Buffer.from(`${name}=${value}\0`);
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = await readFile(`/proc/${entry}/environ`);
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    if (environ.includes(needle)) pids.push(pid);
  }
  return pids;
}

/**
 * SIGKILLs every process carrying the token, again and again until none is left, as a reboot would:
 * nothing of a killed run may append to the log once the next run starts. Returns how many it killed.
 */
export async function killAllWithEnv(name: string, value: string, timeoutMs = 10_000): Promise<number> {
  const killed = new Set<number>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = await pidsWithEnv(name, value);
    if (pids.length === 0) return killed.size;
    if (Date.now() > deadline) throw new Error(`processes ${pids.join(', ')} survive SIGKILL after ${timeoutMs} ms`);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.add(pid);
      } catch {
        // Already gone.
      }
    }
    await sleep(2);
  }
}
