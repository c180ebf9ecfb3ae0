import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderBadInputsDoc } from './bad-inputs-doc.js';
import { badInputs } from './bad-inputs.js';
import { Sandbox } from './sandbox.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await Sandbox.create();
});
afterEach(async () => {
  await sandbox.cleanup();
});

describe('bad inputs (the table of docs/bad-inputs.md)', () => {
  it('has at least 25, from every area', () => {
    expect(badInputs.length).toBeGreaterThanOrEqual(25);
    expect(new Set(badInputs.map((input) => input.area))).toEqual(
      new Set(['Graph', 'Workstream files', 'Checkpoint', 'Options', 'Command line']),
    );
  });

  it.each(badInputs.map((input) => [`${input.area}: ${input.input}`, input] as const))('%s', async (_title, input) => {
    expect(await input.attempt(sandbox)).toBe(input.expected);
  });

  it('docs/bad-inputs.md is the table as generated (pnpm --filter @sdp/crash-suite bad-inputs-doc)', async () => {
    const doc = await readFile(fileURLToPath(new URL('../../docs/bad-inputs.md', import.meta.url)), 'utf8');
    expect(doc).toBe(renderBadInputsDoc(badInputs));
  });
});
