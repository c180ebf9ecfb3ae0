// The supervisor of one command (see supervisor.ts), started ahead of need by the CLI (a warm spare, so
// that its start-up is not on any command's path) with its stdin and stdout as pipes. The first line
// on its stdin is the attempt ({@link SupervisorAttempt}); an end of stdin before it means "not needed".
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { supervise, type SupervisorAttempt, type SupervisorMessage } from './supervisor.js';

let reportable = true;
// The CLI may be gone: what it cannot read is dropped, never a crash.
process.stdout.on('error', () => {
  reportable = false;
});
process.stdin.on('error', () => undefined);
const lines = createInterface({ input: process.stdin });
const first = await Promise.race([once(lines, 'line') as Promise<[string]>, once(lines, 'close').then(() => undefined)]);
if (first !== undefined) {
  const attempt = JSON.parse(first[0]) as SupervisorAttempt;
  await supervise(attempt, {
    lifeline: lines,
    send: (message: SupervisorMessage) => {
      if (reportable) process.stdout.write(`${JSON.stringify(message)}\n`);
    },
    onSignal: (listener) => {
      for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(signal, listener);
    },
  });
}
// The lifeline alone must not keep the supervisor once its group is gone.
lines.close();
process.stdin.destroy();
