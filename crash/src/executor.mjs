// The workstream command of the kill harness, run by `sdp-dispatch run --exec 'node executor.mjs'`.
// Appends `start <id> <pid>` to CRASH_LOG, sleeps the workstream's duration from CRASH_DURATIONS (a JSON
// map of id to ms), then appends `end <id>`. Each record is fsynced before the next step, so a record in
// the log means the step happened, whatever is killed afterwards.
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const id = process.env.SDP_WS_ID;
const logFile = process.env.CRASH_LOG;
if (!id || !logFile) {
  console.error('executor.mjs needs SDP_WS_ID and CRASH_LOG');
  process.exit(2);
}

function append(line) {
  const fd = openSync(logFile, 'a');
  try {
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const durations = process.env.CRASH_DURATIONS ? JSON.parse(readFileSync(process.env.CRASH_DURATIONS, 'utf8')) : {};
append(`start ${id} ${process.pid}`);
await sleep(durations[id] ?? 0);
append(`end ${id}`);
