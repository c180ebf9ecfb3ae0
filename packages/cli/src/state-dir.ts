import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Where a workstream folder's state lives: the `.sdp/` of the nearest ancestor of the folder that
 * already has `.sdp/` or is a repository root (`.git/`), else the working directory. So every
 * directory a user types the command from sees the same checkpoint, lock, logs and run records.
 */
export function stateRootOf(workstreamDir: string, cwd = process.cwd()): string {
  for (let dir = resolve(cwd, workstreamDir); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.sdp')) || existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/** Every file and folder the command writes for one feature, under `<root>/.sdp/`. */
export interface StatePaths {
  /** `<root>/.sdp` */
  readonly stateDir: string;
  /** `<root>/.sdp/checkpoints` (or `--checkpoint-dir`): the checkpoint, its backup, journal and lock. */
  readonly checkpointDir: string;
  /** `<root>/.sdp/logs/<feature>`: one `<ws>.log` per workstream. Never moved by `--checkpoint-dir`. */
  readonly logDir: string;
  /** `<root>/.sdp/runs/<feature>`: one record per run. */
  readonly runsDir: string;
}

export function statePathsOf(root: string, featureId: string, checkpointDir?: string): StatePaths {
  const stateDir = join(root, '.sdp');
  return {
    stateDir,
    checkpointDir: checkpointDir === undefined ? join(stateDir, 'checkpoints') : resolve(checkpointDir),
    logDir: join(stateDir, 'logs', featureId),
    runsDir: join(stateDir, 'runs', featureId),
  };
}
