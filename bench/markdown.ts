// Markdown pieces of docs/benchmarks.md.

/** A number with fixed digits, or `n/a` when the measurement did not happen. */
export const fmt = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const verdict = (ok: boolean): string => (ok ? 'MET' : '**NOT MET**');
