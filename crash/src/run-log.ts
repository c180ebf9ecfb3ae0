import { readFile } from 'node:fs/promises';

/** One record of the executor's append-only log. */
export type LogRecord =
  { readonly kind: 'start'; readonly id: string; readonly pid: number } | { readonly kind: 'end'; readonly id: string };

/** Parses the log the executor writes: `start <id> <pid>` and `end <id>` lines. */
export function parseRunLog(text: string): LogRecord[] {
  const records: LogRecord[] = [];
  const lines = text.split('\n');
  // The executor writes whole lines (one append each), so only the final newline leaves an empty string.
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const start = /^start (\S+) (\d+)$/.exec(line);
    if (start?.[1] !== undefined && start[2] !== undefined) {
      records.push({ kind: 'start', id: start[1], pid: Number(start[2]) });
      return;
    }
    const end = /^end (\S+)$/.exec(line);
    if (end?.[1] !== undefined) {
      records.push({ kind: 'end', id: end[1] });
      return;
    }
    throw new Error(`run log line ${index + 1} is not a record: ${JSON.stringify(line)}`);
  });
  return records;
}

/** The log as records; an absent log is empty. */
export async function readRunLog(path: string): Promise<LogRecord[]> {
  try {
    return parseRunLog(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  }
}
