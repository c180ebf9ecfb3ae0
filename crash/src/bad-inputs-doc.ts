import type { BadInput } from './bad-inputs.js';

/** A cell's text as inline code, one code span per line (Markdown tables cannot hold line breaks). */
function codeCell(text: string): string {
  return text
    .split('\n')
    .map((line) => `\`${line.replaceAll('|', '\\|')}\``)
    .join('<br>');
}

/** `docs/bad-inputs.md`: the table of bad inputs and exactly what each gets, from `bad-inputs.ts`. */
export function renderBadInputsDoc(inputs: readonly BadInput[]): string {
  const areas = [...new Set(inputs.map((input) => input.area))];
  const lines = [
    '# Bad inputs and what you get',
    '',
    '<!-- Generated from crash/src/bad-inputs.ts by `pnpm --filter @sdp/crash-suite bad-inputs-doc`; a test keeps them equal. -->',
    '',
    `Each row is a test of \`@sdp/crash-suite\` (\`crash/src/bad-inputs.test.ts\`): the input is fed to the stack in a fresh`,
    'temp folder and the outcome must be exactly the text shown. Library calls show `ErrorName code: message`',
    '(plain `TypeError`/`RangeError` have no code); every error class has a guard (`isGraphError`,',
    '`isCheckpointCorruptError`, ...) and a stable `code`, so test those rather than messages. Command lines show',
    '`exit <code>: <stderr>`. `<tmp>` stands for the temp folder, `<time>` for a time; the CLI runs in `<tmp>/cwd`.',
    '',
    `${inputs.length} bad inputs:`,
    '',
  ];
  for (const area of areas) {
    lines.push(`## ${area}`, '', '| Input | What you get |', '| --- | --- |');
    for (const input of inputs.filter((candidate) => candidate.area === area)) {
      lines.push(`| ${input.input.replaceAll('|', '\\|')} | ${codeCell(input.expected)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
