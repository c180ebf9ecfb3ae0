/** An error as JSON: its name and message, and `exitCode` when the error carried a numeric one. */
export interface ErrorRecord {
  readonly name: string;
  readonly message: string;
  readonly exitCode?: number;
}

/** An error as JSON (see {@link ErrorRecord}); a thrown non-Error is described by its string form. */
export function errorRecordOf(error: unknown): ErrorRecord {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { exitCode } = error as { exitCode?: unknown };
  return typeof exitCode === 'number'
    ? { name: error.name, message: error.message, exitCode }
    : { name: error.name, message: error.message };
}
