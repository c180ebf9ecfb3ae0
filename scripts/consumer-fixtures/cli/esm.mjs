// ESM consumer of @sdp/cli's library entry (the workstream-file reader), run from the installed tarballs.
// The last stdout line is read by pack-and-consume.mjs.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { isWorkstreamFileError, loadWorkstreams } from '@sdp/cli';

const loaded = await loadWorkstreams(fileURLToPath(new URL('workstreams/', import.meta.url)));
assert.equal(loaded.featureId, 'F001');
assert.deepEqual(
  loaded.nodes.map(({ id }) => id),
  ['00-001-01', '00-001-02', '00-001-03'],
);
assert.equal(isWorkstreamFileError(new Error('x')), false);

console.log(
  JSON.stringify({ resolved: import.meta.resolve('@sdp/cli'), result: `read ${loaded.nodes.length} workstreams of ${loaded.featureId}` }),
);
