import { basename, dirname, join, resolve } from 'node:path';

/** Every file name a store uses, derived from the directory and the feature id. */
export interface CheckpointFiles {
  readonly dir: string;
  /** `<dir>/<featureId>-checkpoint.json`, absolute. */
  readonly path: string;
  readonly backupPath: string;
  readonly lockPath: string;
  /** The updates since the checkpoint was last written whole: `path + '.journal'`. */
  readonly journalPath: string;
  /** Where a new checkpoint is written and verified before it is renamed over `path`. */
  readonly stagingPath: string;
  /** Where the same content is written and verified before it is renamed over `backupPath`: a second copy. */
  readonly backupStagingPath: string;
  /**
   * True for a leftover of an interrupted write of this checkpoint: the staging files, write-file-atomic's
   * temp files (`<file>.<number>`), our hard-link temps, the seed's `.tmp`. Never a file of another feature:
   * every pattern is anchored and its variable part has no letters of `-checkpoint.json`.
   */
  isTempFile(name: string): boolean;
  /** The name to move a damaged `source` (the checkpoint, its backup or the journal) aside to. */
  corruptName(source: string, nowMs: number, attempt: number): string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `20260207T123456789Z`: sortable, and safe in a file name on every platform. */
function compactTime(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/[-:.]/g, '');
}

export function checkpointFiles(dir: string, featureId: string): CheckpointFiles {
  const path = join(resolve(dir), `${featureId}-checkpoint.json`);
  const base = escapeRegExp(basename(path));
  const temp = new RegExp(`^${base}(?:(?:\\.bak)?\\.new(?:\\.\\d+)?|\\.\\d+|\\.tmp|(?:\\.bak)?\\.link-[0-9a-f]{32})$`);
  return {
    dir: dirname(path),
    path,
    backupPath: `${path}.bak`,
    lockPath: `${path}.lock`,
    journalPath: `${path}.journal`,
    stagingPath: `${path}.new`,
    backupStagingPath: `${path}.bak.new`,
    isTempFile: (name) => temp.test(name),
    corruptName: (source, nowMs, attempt) => `${source}.corrupt-${compactTime(nowMs)}-${attempt}`,
  };
}
