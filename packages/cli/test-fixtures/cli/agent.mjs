// Test agent for the CLI end-to-end tests.
// FAIL_IDS: comma-separated ids that fail. HANG_IDS: ids that write `<MARKER_DIR>/<id>.started` and
// then wait until signalled (IGNORE_SIGNALS: keep running anyway). Every run appends "<id> start|end" to RUN_LOG.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const id = process.env.SDP_WS_ID;
const list = (name) => (process.env[name] ?? '').split(',').filter(Boolean);
const log = (what) => {
  if (process.env.RUN_LOG) appendFileSync(process.env.RUN_LOG, `${id} ${what}\n`);
};

log('start');
console.log(`agent working on ${id} (feature ${process.env.SDP_FEATURE_ID}, file ${process.env.SDP_WS_FILE})`);
if (list('HANG_IDS').includes(id)) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      console.log(`${id} got ${signal}`);
      // IGNORE_SIGNALS: an agent that does not stop when asked (only SIGKILL ends it).
      if (!process.env.IGNORE_SIGNALS) process.exit(130);
    });
  }
  writeFileSync(join(process.env.MARKER_DIR, `${id}.started`), '');
  setInterval(() => undefined, 1 << 30);
} else if (list('FAIL_IDS').includes(id)) {
  console.log('running tests...');
  console.error(`FAIL ${id}: expected 200, got 500`);
  process.exit(1);
} else {
  log('end');
}
