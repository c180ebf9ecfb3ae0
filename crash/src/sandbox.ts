import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { cliPath, gatedExecutorPath, holdLockPath } from './paths.js';
import { killAllWithEnv } from './process-reaper.js';

const TOKEN_VARIABLE = 'SDP_CRASH_TEST_TOKEN';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  readonly pid: number;
  readonly done: Promise<CliResult>;
}

/** One workstream file to write in YAML front matter; its feature is the id's (`00-071-02` is F071). */
export interface WorkstreamSpec {
  id: string;
  dependsOn?: readonly string[];
}

/**
 * A temp folder for one test: `cwd` (where the CLI runs, so `.sdp/` lands there), `gates` (markers of
 * the gated executor), `run.log` (its start and end records). Every process started through it, and
 * whatever those started (executors orphaned by a killed CLI), is SIGKILLed by `cleanup`.
 */
export class Sandbox {
  readonly cwd: string;
  readonly gates: string;
  readonly runLog: string;
  /** In the environment of every process started here, to find them all (see `process-reaper.ts`). */
  readonly #token = randomBytes(12).toString('hex');

  private constructor(readonly root: string) {
    this.cwd = join(root, 'cwd');
    this.gates = join(root, 'gates');
    this.runLog = join(root, 'run.log');
  }

  static async create(): Promise<Sandbox> {
    const sandbox = new Sandbox(await mkdtemp(join(tmpdir(), 'sdp-crash-test-')));
    await mkdir(sandbox.cwd);
    await mkdir(sandbox.gates);
    return sandbox;
  }

  async cleanup(): Promise<void> {
    await killAllWithEnv(TOKEN_VARIABLE, this.#token);
    await rm(this.root, { recursive: true, force: true });
  }

  /** Environment for a process started from this sandbox: the token, the run log, the gates. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, [TOKEN_VARIABLE]: this.#token, RUN_LOG: this.runLog, GATE_DIR: this.gates, ...extra };
  }

  /** Kills whatever processes of this sandbox still run (a reboot), e.g. executors of a CLI that died. */
  async killAll(): Promise<number> {
    return killAllWithEnv(TOKEN_VARIABLE, this.#token);
  }

  /** `<cwd>/.sdp/checkpoints`, the CLI's default checkpoint folder. */
  get checkpointDir(): string {
    return join(this.cwd, '.sdp', 'checkpoints');
  }

  checkpointFile(featureId: string): string {
    return join(this.checkpointDir, `${featureId}-checkpoint.json`);
  }

  /** File names in the checkpoint folder, sorted; none when it does not exist. */
  async checkpointFiles(): Promise<string[]> {
    return existsSync(this.checkpointDir) ? (await readdir(this.checkpointDir)).sort() : [];
  }

  /** Writes workstream files in YAML front matter into `<root>/<folder>`; returns the folder. */
  async writeFeature(folder: string, specs: readonly WorkstreamSpec[]): Promise<string> {
    const dir = join(this.root, folder);
    await mkdir(dir, { recursive: true });
    for (const spec of specs) {
      await writeFile(join(dir, `${spec.id}.md`), workstreamFile(spec));
    }
    return dir;
  }

  /** Writes a raw file (a broken workstream, say) into `<root>/<path>`; returns its path. */
  async writeRaw(path: string, text: string): Promise<string> {
    const file = join(this.root, path);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, text);
    return file;
  }

  /** Starts `sdp-dispatch <args>` in `cwd`, in its own process group (as a terminal would). */
  start(args: readonly string[], env: Record<string, string> = {}): CliRun {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: this.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: this.env(env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<CliResult>((resolve) => {
      child.on('close', (code, signal) => {
        resolve({ code, signal, stdout, stderr });
      });
    });
    if (child.pid === undefined) throw new Error('could not start the CLI');
    return { pid: child.pid, done };
  }

  run(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
    return this.start(args, env).done;
  }

  /**
   * Another process (`fixtures/hold-lock.mjs`) takes the checkpoint lock of `featureId` in the default
   * checkpoint folder and holds it until `release`.
   */
  async holdLock(featureId: string): Promise<{ pid: number; release: () => Promise<void> }> {
    const child = spawn(process.execPath, [holdLockPath, this.checkpointDir, featureId], {
      cwd: this.cwd,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: this.env(),
    });
    const exited = new Promise<void>((resolve) => {
      child.on('close', () => {
        resolve();
      });
    });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => {
        resolve(chunk.toString().trim());
      });
      child.once('close', (code) => {
        reject(new Error(`hold-lock exited ${String(code)}`));
      });
    });
    if (line !== `locked ${String(child.pid)}`) throw new Error(`hold-lock said ${line}`);
    return {
      pid: child.pid ?? 0,
      release: async () => {
        child.stdin.end();
        await exited;
      },
    };
  }

  /** Waits until the gated executor of `id` runs (it then waits for {@link open}). */
  async started(id: string): Promise<void> {
    await vi.waitFor(
      () => {
        if (!existsSync(join(this.gates, `${id}.started`))) throw new Error(`${id} has not started`);
      },
      { timeout: 20_000, interval: 10 },
    );
  }

  /** Lets the gated executor of `id` go on. */
  async open(id: string): Promise<void> {
    await writeFile(join(this.gates, `${id}.go`), '');
  }

  /** The workstreams the gated executor started, in order. */
  async starts(): Promise<string[]> {
    if (!existsSync(this.runLog)) return [];
    const lines = (await readFile(this.runLog, 'utf8')).trim().split('\n');
    return lines.filter((line) => line.startsWith('start ')).map((line) => line.slice('start '.length));
  }

  /** Replaces the sandbox path, this host and times by placeholders, for exact comparisons. */
  normalize(text: string): string {
    return text
      .replaceAll(this.root, '<tmp>')
      .replaceAll(hostname(), '<host>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<time>')
      .replace(/\d{8}T\d{9}Z/g, '<time>');
  }
}

/** `--exec` for the gated executor. */
export const gatedExecutor = `node ${gatedExecutorPath}`;

/** Ids `00-<feature>-01` .. `-<n>`, each depending on the one before: a strictly sequential feature. */
export function chain(feature: number, n: number): WorkstreamSpec[] {
  const id = (index: number) => `00-${String(feature).padStart(3, '0')}-${String(index).padStart(2, '0')}`;
  return Array.from({ length: n }, (_, index) => ({ id: id(index + 1), dependsOn: index === 0 ? [] : [id(index)] }));
}

function workstreamFile(spec: WorkstreamSpec): string {
  const feature = `F${spec.id.split('-')[1] ?? ''}`;
  return [
    '---',
    `ws_id: ${spec.id}`,
    `feature_id: ${feature}`,
    `depends_on: [${(spec.dependsOn ?? []).join(', ')}]`,
    '---',
    `# ${spec.id}`,
    '',
  ].join('\n');
}
