// CommonJS consumer of @sdp/cli's library entry, run from the installed tarballs as cjs.cjs (kept as .js
// here only because the repository's ESLint config type-checks .cjs files). The last stdout line is read
// by pack-and-consume.mjs.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- require() is what this consumer tests */
const assert = require('node:assert/strict');
const path = require('node:path');
const { loadWorkstreams } = require('@sdp/cli');

async function main() {
  const loaded = await loadWorkstreams(path.join(__dirname, 'workstreams'));
  assert.equal(loaded.featureId, 'F001');
  assert.equal(loaded.nodes.length, 3);
  console.log(
    JSON.stringify({ resolved: require.resolve('@sdp/cli'), result: `read ${loaded.nodes.length} workstreams of ${loaded.featureId}` }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
