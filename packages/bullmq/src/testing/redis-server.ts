import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServerOptions {
  /** Data folder (the append-only file lives here). Default: a new temporary folder, removed by `stop()`. */
  readonly dir?: string;
  /** The `redis-server` binary. Default `redis-server` from PATH (Debian package `redis-server`). */
  readonly binary?: string;
}

/** A throwaway Redis on a free loopback port, append-only file on and fsynced at every write. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly dir: string;
  /** Pid of the running server (changes with `restart`). */
  readonly pid: number;
  /** `kill -9`: nothing flushed beyond what the append-only file already holds. */
  kill(): Promise<void>;
  /** Starts it again on the same port from the same append-only file (after `kill`). */
  restart(): Promise<void>;
  /** Stops it and removes a temporary data folder. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's `redis-server` for a test. `appendfsync always`: a completion BullMQ acknowledged
 * survives a `kill -9` of Redis, as the crash suite requires (production should choose the same
 * for exactly-once completion records).
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'sdp-redis-')));
  const port = await freePort();
  const binary = options.binary ?? 'redis-server';
  let child = await launch(binary, port, dir);
  const exited = (process: ChildProcess) => process.exitCode !== null || process.signalCode !== null;
  const end = async (signal: NodeJS.Signals) => {
    if (exited(child)) return;
    const done = once(child, 'exit');
    child.kill(signal);
    await done;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get pid() {
      return child.pid ?? -1;
    },
    kill: () => end('SIGKILL'),
    async restart() {
      await end('SIGKILL');
      child = await launch(binary, port, dir);
    },
    async stop() {
      await end('SIGTERM');
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function launch(binary: string, port: number, dir: string): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--save',
    '',
    '--daemonize',
    'no',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => {
      reject(new Error(`cannot start ${binary} (install the Debian package redis-server): ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      reject(new Error(`${binary} exited (${signal ?? `code ${code}`}) before it was ready:\n${output}`));
    });
  });
  return child;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no free loopback port');
  return address.port;
}
