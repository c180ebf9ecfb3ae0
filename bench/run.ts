// Side-by-side benchmarks of @sdp against its peers (issues 8 and 14). Prints the report and writes
// docs/benchmarks.md. Needs the @sdp packages built (`pnpm bench:compare` builds them first).
//
//   tsx --expose-gc run.ts            full run (about 3-4 minutes on 2 cores)
//   tsx --expose-gc run.ts --quick    fewer runs and smaller sizes, for trying the harness; prints only, writes nothing
//
// Every variant of a measurement is interleaved round by round and the median is reported; the cold run
// spawns one fresh process per run instead.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { breakerCost } from './breaker-cost.js';
import { checkpointCost } from './checkpoint-cost.js';
import { coldRun } from './cold-run.js';
import { document } from './document.js';
import { makespan } from './makespan.js';
import { fmt } from './markdown.js';
import { overhead } from './overhead.js';
import { priority } from './priority.js';
import { QUICK, SEED } from './settings.js';
import type { Results } from './targets.js';

const startedAt = new Date();
const t0 = performance.now();
console.error(`bench: ${QUICK ? 'quick' : 'full'} run, seed ${SEED}`);
const results: Results = {
  overhead: await overhead(),
  cold: await coldRun(),
  makespan: await makespan(),
  priority: await priority(),
  checkpoint: await checkpointCost(),
  breaker: await breakerCost(),
};
const elapsed = (performance.now() - t0) / 1000;

const markdown = document(results, { startedAt, elapsed });
console.log(markdown);
if (QUICK) {
  console.error(`bench: quick run, ${fmt(elapsed, 0)} s; docs/benchmarks.md left as it was`);
} else {
  const outPath = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
  writeFileSync(outPath, markdown);
  console.error(`bench: wrote ${outPath} in ${fmt(elapsed, 0)} s`);
}
