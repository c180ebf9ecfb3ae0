#!/usr/bin/env node
// Stands in for an AI coding agent in the sdp-dispatch demo: `sdp-dispatch run --exec` starts it
// once per workstream. It "implements" the workstream described by SDP_WS_FILE: prints progress
// lines over a duration that differs per workstream, and exits 0. One workstream (FAILING_WS)
// fails its tests until SDP_DEMO_FIX=1 is set, so the demo shows a failure, the skipped
// dependents, and a resume that finishes the rest. Plain Node, no dependencies.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

/** The workstream whose tests fail until SDP_DEMO_FIX=1: the middle of the billing chain. */
const FAILING_WS = '00-060-15';

/** @param {string} message */
function say(message) {
  process.stdout.write(`${message}\n`);
}

/** @param {string} message */
function usageError(message) {
  process.stderr.write(`simulate-agent: ${message}\n`);
  return 2;
}

/**
 * FNV-1a: a stable 32-bit hash, so each workstream always takes the same time and edits the
 * same number of lines.
 * @param {string} text
 */
function hash(text) {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

/**
 * What the agent "reads" from its workstream file: title, acceptance criteria, files in scope.
 * @param {string} text
 * @param {string} id
 */
function describeWorkstream(text, id) {
  const heading = /^#\s+(.+)$/m.exec(text)?.[1] ?? id;
  const title = heading.replace(new RegExp(`^${id}\\s*:\\s*`), '');
  const criteria = text.match(/^\s*[-*]\s+\[[ xX]\]/gm)?.length ?? 0;
  const files = [...text.matchAll(/^\s*[-*]\s+`([^`\s]+\/[^`\s]+\.\w+)`/gm)].map((match) => match[1] ?? '');
  return { title, criteria, files };
}

/**
 * @param {AbortSignal} signal aborted on SIGTERM / SIGINT
 * @returns {Promise<number>} the exit code
 */
async function main(signal) {
  const id = process.env['SDP_WS_ID'] ?? '';
  const feature = process.env['SDP_FEATURE_ID'] ?? 'unknown feature';
  const file = process.env['SDP_WS_FILE'];
  const speedText = process.env['SDP_DEMO_SPEED'] ?? '1';
  const fixed = process.env['SDP_DEMO_FIX'] === '1';

  if (id === '') return usageError('SDP_WS_ID is not set; run me through `sdp-dispatch run <dir> --exec ...`');
  const speed = Number(speedText);
  if (!Number.isFinite(speed) || speed <= 0) {
    return usageError(`SDP_DEMO_SPEED must be a positive number (1 = 0.3-1.5 s per workstream), got "${speedText}"`);
  }

  let text = '';
  if (file !== undefined && file !== '') {
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      return usageError(`cannot read SDP_WS_FILE ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const { title, criteria, files } = describeWorkstream(text, id);
  const seed = hash(id);
  // 0.3 s to 1.5 s at speed 1, the same every time for the same workstream.
  const totalMs = (300 + ((seed % 1000) / 1000) * 1200) / speed;
  const pause = () => sleep(totalMs / (3 + files.length), undefined, { signal });

  say(`[${id}] reading ${file === undefined ? 'no workstream file' : path.basename(file)} (${feature}: ${title})`);
  await pause();
  say(`[${id}] planning: ${criteria} acceptance criteria, ${files.length} files in scope`);
  await pause();
  for (const [index, edited] of files.entries()) {
    const added = 12 + ((seed >>> (index * 4)) % 140);
    const removed = (seed >>> (index * 3 + 1)) % 25;
    say(`[${id}] editing ${edited} (+${added} -${removed})`);
    await pause();
  }
  const testFile = files.find((name) => /\.(test|spec)\.\w+$/.test(name));
  say(`[${id}] running tests: pnpm vitest run ${testFile ?? 'apps/'}`);
  await pause();

  if (id === FAILING_WS && !fixed) {
    process.stderr.write(
      [
        ' FAIL  apps/api/test/billing/seat-sync.test.ts > seat sync > drops a seat when a member is removed',
        'AssertionError: expected subscription quantity to be 4, received 5',
        ' ❯ apps/api/test/billing/seat-sync.test.ts:88:41',
        ' Tests  1 failed | 11 passed (12)',
        `[${id}] giving up: the seat count still includes the removed member (guests and pending invites?)`,
        '',
      ].join('\n'),
    );
    return 1;
  }
  const tests = 4 + (seed % 17);
  say(`[${id}] ✓ ${tests} tests passed; ${criteria} of ${criteria} acceptance criteria met`);
  return 0;
}

// On SIGTERM / SIGINT: say so, stop at once, exit 143 / 130 (128 + signal number, as a shell
// would report a process killed by it). Exit codes are set rather than forced with
// process.exit() so that output written to a pipe is never cut off.
const stop = new AbortController();
for (const [name, code] of /** @type {const} */ ([
  ['SIGTERM', 143],
  ['SIGINT', 130],
])) {
  process.once(name, () => {
    say(`[${process.env['SDP_WS_ID'] ?? ''}] ${name} received: stopping, uncommitted edits discarded`);
    process.exitCode = code;
    stop.abort();
  });
}
try {
  const code = await main(stop.signal);
  if (!stop.signal.aborted) process.exitCode = code;
} catch (error) {
  if (!stop.signal.aborted) throw error;
}
