/** Writes docs/bad-inputs.md from the table in src/bad-inputs.ts: `pnpm --filter @sdp/crash-suite bad-inputs-doc`. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderBadInputsDoc } from '../src/bad-inputs-doc.js';
import { badInputs } from '../src/bad-inputs.js';

const target = fileURLToPath(new URL('../../docs/bad-inputs.md', import.meta.url));
await writeFile(target, renderBadInputsDoc(badInputs));
console.log(`wrote ${target} (${badInputs.length} bad inputs)`);
