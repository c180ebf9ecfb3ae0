import type { Checkpoint, CheckpointUpdate } from './checkpoint.js';
import type { CheckpointFiles } from './checkpoint-files.js';
import { applyAll } from './checkpoint-journal.js';
import type { CheckpointFileContent, StoredFiles } from './checkpoint-reader.js';
import { CheckpointCorruptError, CheckpointVersionError } from './errors.js';
import { decodeJournal, type DecodedJournal } from './journal-codec.js';

/** What is wrong with one file, as a reader finds it. */
export type CheckpointFindingKind =
  | 'checkpoint-damaged'
  | 'checkpoint-missing'
  | 'checkpoint-version'
  | 'backup-damaged'
  | 'backup-version'
  | 'journal-damaged'
  | 'journal-stale'
  | 'temp-file'
  | 'lock-stale'
  | 'lock-held';

/** Something a reader found wrong, left or foreign in the checkpoint's files, and what the writer does about it. */
export interface CheckpointFinding {
  readonly kind: CheckpointFindingKind;
  /** The file concerned. */
  readonly path: string;
  /** What is wrong, in one line. */
  readonly problem: string;
  /** What a run (the writer, holding the lock) does about it, in one line. */
  readonly action: string;
}

/**
 * What a reader concludes from the files as they are, changing nothing: the checkpoint a run would resume from,
 * where it comes from, and every problem found with what the run would do about it.
 */
export interface CheckpointReading {
  /** The checkpoint file. */
  readonly path: string;
  /** What a run would resume from; `null` when there is none, or none it can use (`unusable`). */
  readonly checkpoint: Checkpoint | null;
  /** `checkpoint` is the checkpoint file's, or the backup's (the checkpoint file is damaged or missing). */
  readonly source: 'none' | 'checkpoint' | 'backup';
  /** Journal records replayed on top of that file. */
  readonly journalRecords: number;
  /** `seq` of each journal record that could not be read (lost: a run redoes what it recorded). */
  readonly lostRecords: readonly number[];
  /** Set when a run cannot use what is there: it stops with this error and changes nothing. */
  readonly unusable: CheckpointCorruptError | CheckpointVersionError | undefined;
  /** Empty when everything is in order. */
  readonly findings: readonly CheckpointFinding[];
}

/** A reading, and what the writer needs to act on it. */
export interface Conclusion extends CheckpointReading {
  /** The file content `checkpoint` was built from, and the journal as decoded against it. */
  readonly base: Extract<CheckpointFileContent, { kind: 'ok' }> | undefined;
  readonly updates: readonly CheckpointUpdate[];
  readonly journal: DecodedJournal | undefined;
  /** The writer must rewrite the checkpoint (and its backup) from `checkpoint`. */
  readonly rewrite: boolean;
}

const STOPS = 'a run stops (exit 2) and changes nothing; discarding it (--fresh) starts over';

function describe(content: CheckpointFileContent): string {
  if (content.kind === 'damaged') return content.reason;
  if (content.kind === 'unsupported-version') return `format version ${JSON.stringify(content.version)}`;
  return content.kind;
}

/** What a reader concludes from `stored` (see {@link CheckpointReading}); the files are not touched. */
export function conclude(files: CheckpointFiles, stored: StoredFiles): Conclusion {
  const { main, backup } = stored;
  const findings: CheckpointFinding[] = stored.tempFiles.map((path) => ({
    kind: 'temp-file',
    path,
    problem: 'left by an interrupted write',
    action: 'a run removes it',
  }));
  const unusable = (error: CheckpointCorruptError | CheckpointVersionError): Conclusion => ({
    path: files.path,
    checkpoint: null,
    source: 'none',
    journalRecords: 0,
    lostRecords: [],
    unusable: error,
    findings,
    base: undefined,
    updates: [],
    journal: undefined,
    rewrite: false,
  });
  if (main.kind === 'unsupported-version') {
    findings.push({ kind: 'checkpoint-version', path: files.path, problem: describe(main), action: STOPS });
    return unusable(new CheckpointVersionError(files.path, main.version));
  }
  let source: 'checkpoint' | 'backup' = 'checkpoint';
  let base: Extract<CheckpointFileContent, { kind: 'ok' }> | undefined;
  if (main.kind === 'ok') {
    base = main;
    if (backup.kind === 'damaged' || backup.kind === 'unsupported-version') {
      findings.push({
        kind: backup.kind === 'damaged' ? 'backup-damaged' : 'backup-version',
        path: files.backupPath,
        problem: describe(backup),
        action: 'a run keeps it under a .corrupt name and writes a new backup from the checkpoint',
      });
    }
  } else if (backup.kind === 'ok') {
    source = 'backup';
    base = backup;
  } else if (main.kind === 'missing' && backup.kind === 'missing') {
    base = undefined;
  } else {
    const problem = main.kind === 'missing' ? 'missing' : describe(main);
    findings.push({
      kind: main.kind === 'missing' ? 'checkpoint-missing' : 'checkpoint-damaged',
      path: files.path,
      problem,
      action: STOPS,
    });
    if (backup.kind === 'unsupported-version') {
      findings.push({ kind: 'backup-version', path: files.backupPath, problem: describe(backup), action: STOPS });
      return unusable(new CheckpointVersionError(files.backupPath, backup.version));
    }
    const detail = backup.kind === 'missing' ? 'no backup' : `backup damaged too (${backup.reason})`;
    if (backup.kind === 'damaged') findings.push({ kind: 'backup-damaged', path: files.backupPath, problem: backup.reason, action: STOPS });
    return unusable(new CheckpointCorruptError(files.path, files.path, `${problem}; ${detail}`));
  }

  const journal = stored.journal === undefined || base === undefined ? undefined : decodeJournal(stored.journal, base.digest);
  const updates = journal === undefined || journal.kind === 'foreign' ? [] : journal.updates;
  const lostRecords = journal?.kind === 'damaged' ? journal.lost : [];
  if (stored.journal !== undefined && (journal === undefined || journal.kind === 'foreign')) {
    findings.push({
      kind: 'journal-stale',
      path: files.journalPath,
      problem:
        base === undefined
          ? 'a journal without its checkpoint'
          : `a journal of an earlier ${source === 'backup' ? 'checkpoint file' : 'version of the checkpoint'}, whose updates it does not hold`,
      action: 'a run removes it',
    });
  }
  if (journal?.kind === 'damaged') {
    findings.push({
      kind: 'journal-damaged',
      path: files.journalPath,
      problem: `${journal.reason} (${lostRecords.length > 0 ? `record${lostRecords.length === 1 ? '' : 's'} ${lostRecords.join(', ')} lost` : 'no record lost'})`,
      action: `a run keeps it under a .corrupt name and writes the ${updates.length} intact record${updates.length === 1 ? '' : 's'} into the checkpoint`,
    });
  }
  if (base !== undefined && source === 'backup') {
    const records = updates.length > 0 ? ` with ${updates.length} journal record${updates.length === 1 ? '' : 's'} on top` : '';
    findings.push({
      kind: main.kind === 'missing' ? 'checkpoint-missing' : 'checkpoint-damaged',
      path: files.path,
      problem: main.kind === 'missing' ? 'missing, while its backup is intact' : describe(main),
      action: `a run ${main.kind === 'missing' ? '' : 'keeps it under a .corrupt name and '}restores it from the backup${records}`,
    });
  }
  return {
    path: files.path,
    checkpoint: base === undefined ? null : applyAll(base.checkpoint, updates),
    source: base === undefined ? 'none' : source,
    journalRecords: updates.length,
    lostRecords,
    unusable: undefined,
    findings,
    base,
    updates,
    journal,
    rewrite: source === 'backup' || journal?.kind === 'damaged' || backup.kind === 'damaged' || backup.kind === 'unsupported-version',
  };
}
