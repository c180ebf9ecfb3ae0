// The main job's demo: sdp-dispatch runs the example feature, one workstream fails and its dependents
// are skipped, then the "fixed" agent resumes the run and only what is left runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../packages/cli/dist/cli.js', import.meta.url));
const feature = 'examples/feature-F060';
const exec = 'node examples/simulate-agent.mjs';

const envText = (env) =>
  Object.entries(env)
    .map(([key, value]) => `${key}=${value} `)
    .join('');

function step(title, args, env = {}) {
  const shown = args.map((arg) => (/^[\w./-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ');
  console.log(`\n\x1b[1m$ ${envText(env)}sdp-dispatch ${shown}\x1b[0m   # ${title}`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status;
}

step('start from a clean slate', ['clean', feature]);
step('validate the workstreams and show the plan', ['plan', feature]);
const first = step('run it from scratch (--fresh: also after an earlier demo completed it): one agent fails', [
  'run',
  feature,
  '--exec',
  exec,
  '--concurrency',
  '4',
  '--fresh',
]);
step('what the checkpoint says', ['status', feature]);
const second = step('the agent was fixed: resume, only what is left runs', ['run', feature, '--exec', exec, '--concurrency', '4'], {
  SDP_DEMO_FIX: '1',
});
console.log(`\nFirst run exited ${first} (a workstream failed), the resume exited ${second} (everything completed).`);
process.exitCode = first === 1 && second === 0 ? 0 : 1;
