import type { Clock } from '@sdp/internal';
import type { Checkpoint } from './checkpoint.js';
import type { CheckpointFiles } from './checkpoint-files.js';
import type { Conclusion } from './checkpoint-reading.js';
import { removeFile } from './disk.js';
import { keepAside } from './durable-commit.js';

/** What the writer recovered, from where, and what it kept of the damage. */
export interface RecoverEvent {
  /**
   * Where the checkpoint now comes from: `backup` (the checkpoint file was damaged or missing), `checkpoint` (the
   * backup was damaged and was written again from the checkpoint), `journal` (journal records were damaged: the
   * intact ones were kept).
   */
  readonly from: 'backup' | 'checkpoint' | 'journal';
  /** The damaged (or missing) file. */
  readonly path: string;
  /** Where its content is kept now (a `.corrupt-<time>-<n>` name, never overwriting one); `path` when it was missing. */
  readonly movedTo: string;
  /** What was wrong with it. */
  readonly reason: string;
  /** Journal records replayed on top of the file the checkpoint was recovered from. */
  readonly journalRecords: number;
  /** `seq` of each journal record that could not be read. */
  readonly lostRecords: readonly number[];
  /** Workstreams recorded completed in the recovered checkpoint. */
  readonly completed: number;
  /** One line saying all of the above, for a log. */
  readonly summary: string;
}

export interface RepairContext {
  readonly files: CheckpointFiles;
  readonly clock: Clock;
  /** Throws when the lock is no longer this writer's: files are then its new holder's to change. */
  readonly verifyLock: () => Promise<void>;
  /** The durable commit of `checkpoint` as the checkpoint and its backup, without a journal. */
  readonly commit: (checkpoint: Checkpoint) => Promise<void>;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The writer's repair of what a reading found (holding the lock; only ever called by `load` under it): every
 * damaged file is first kept under a `.corrupt` name with its content, then the recovered checkpoint is written
 * as the checkpoint and its backup (the journal it holds goes with it), and leftovers that hold no progress
 * (temp files, a stale journal) are removed. Throws the reading's error, changing nothing, when it is unusable.
 */
export async function repair(context: RepairContext, conclusion: Conclusion): Promise<RecoverEvent[]> {
  if (conclusion.unusable !== undefined) throw conclusion.unusable;
  const { files, clock } = context;
  const { checkpoint, journalRecords, lostRecords } = conclusion;
  const completed = checkpoint?.completed.length ?? 0;
  const recovered = `${plural(completed, 'completed workstream')}${journalRecords > 0 ? `, ${plural(journalRecords, 'journal record')} replayed` : ''}`;
  const events: RecoverEvent[] = [];
  const report = (from: RecoverEvent['from'], finding: { path: string; problem: string }, movedTo: string, summary: string): void => {
    events.push({ from, path: finding.path, movedTo, reason: finding.problem, journalRecords, lostRecords, completed, summary });
  };
  for (const finding of conclusion.findings) {
    await context.verifyLock();
    switch (finding.kind) {
      case 'temp-file':
      case 'journal-stale':
        await removeFile(finding.path);
        break;
      case 'checkpoint-damaged':
      case 'checkpoint-missing': {
        const movedTo = finding.kind === 'checkpoint-missing' ? finding.path : await keepAside(files, finding.path, clock);
        const kept = movedTo === finding.path ? 'it was missing' : `the damaged file is kept at ${movedTo}`;
        report(
          'backup',
          finding,
          movedTo,
          `checkpoint ${finding.path} (${finding.problem}) restored from its backup (${recovered}); ${kept}`,
        );
        break;
      }
      case 'backup-damaged':
      case 'backup-version': {
        const movedTo = await keepAside(files, finding.path, clock);
        report(
          'checkpoint',
          finding,
          movedTo,
          `backup ${finding.path} (${finding.problem}) written again from the checkpoint; the damaged file is kept at ${movedTo}`,
        );
        break;
      }
      case 'journal-damaged': {
        const movedTo = await keepAside(files, finding.path, clock);
        const lost =
          lostRecords.length === 0 ? 'no record lost' : `lost record${lostRecords.length === 1 ? '' : 's'} ${lostRecords.join(', ')}`;
        report(
          'journal',
          finding,
          movedTo,
          `journal ${finding.path} damaged: kept ${plural(journalRecords, 'intact record')} (${recovered}), ${lost}; the damaged file is kept at ${movedTo}`,
        );
        break;
      }
      case 'checkpoint-version':
      case 'lock-stale':
      case 'lock-held':
        break;
    }
  }
  if (conclusion.rewrite && checkpoint !== null) {
    await context.verifyLock();
    await context.commit(checkpoint);
  }
  return events;
}
