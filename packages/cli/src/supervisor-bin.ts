// The supervisor of one command (see supervisor.ts): `node supervisor.js <graceMs> <command>`, started
// by the CLI with its stdin and stdout as pipes and its stderr on the workstream's log.
import { supervise, type SupervisorMessage } from './supervisor.js';

const [graceText = '', command = ''] = process.argv.slice(2);
let reportable = true;
// The CLI may be gone: what it cannot read is dropped, never a crash.
process.stdout.on('error', () => {
  reportable = false;
});
process.stdin.on('error', () => undefined);
await supervise(command, Number(graceText), {
  lifeline: process.stdin,
  send: (message: SupervisorMessage) => {
    if (reportable) process.stdout.write(`${JSON.stringify(message)}\n`);
  },
  onSignal: (listener) => {
    for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(signal, listener);
  },
});
// The lifeline alone must not keep the supervisor once its group is gone.
process.stdin.destroy();
