import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointStore, validateCheckpoint, type Checkpoint } from '@sdp/checkpoint';
import { CircuitBreaker } from '@sdp/circuit-breaker';
import { loadWorkstreams } from '@sdp/cli';
import { Dispatcher } from '@sdp/dispatcher';
import { DependencyGraph, type GraphNode } from '@sdp/graph';
import { reseal } from './reseal.js';
import { chain, gatedExecutor, type Sandbox } from './sandbox.js';

/**
 * One bad input and exactly what it gets. `attempt` feeds it to the stack in a fresh sandbox and
 * returns the outcome as text: `<ErrorName> <code>: <message>` for a library call (no code for plain
 * TypeError/RangeError), `exit <n>: <stderr>` for the CLI; paths, host and times as placeholders.
 * `docs/bad-inputs.md` is generated from this table (scripts/bad-inputs-doc.ts) and checked by a test.
 */
export interface BadInput {
  readonly area: 'Graph' | 'Workstream files' | 'Checkpoint' | 'Options' | 'Command line';
  /** The input, in words and code, for the docs. */
  readonly input: string;
  readonly expected: string;
  attempt(sandbox: Sandbox): Promise<string>;
}

/** An error as `Name code: message` (no code for errors without one). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `non-error: ${String(error)}`;
  const { code } = error as { code?: unknown };
  return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`;
}

async function outcomeOf(action: () => unknown): Promise<string> {
  try {
    await action();
  } catch (error) {
    return describeError(error);
  }
  return 'no error';
}

/** `sdp-dispatch <args>` in the sandbox: `exit <code>: <stderr>`, normalized. */
async function cli(sandbox: Sandbox, args: readonly string[]): Promise<string> {
  const result = await sandbox.run(args);
  return sandbox.normalize(`exit ${String(result.code)}: ${result.stderr.trimEnd()}`);
}

/** Writes the files of a folder `ws/` in the sandbox (name -> content) and runs `plan` (or `command`) on it. */
async function plan(sandbox: Sandbox, files: Record<string, string>, extra: readonly string[] = [], command = 'plan'): Promise<string> {
  for (const [name, text] of Object.entries(files)) await sandbox.writeRaw(join('ws', name), text);
  return cli(sandbox, [command, join(sandbox.root, 'ws'), ...extra]);
}

const frontMatter = (...lines: string[]) => ['---', ...lines, '---', '# A workstream', ''].join('\n');

/** A feature F077 of three chained workstreams in `ws/`, whose checkpoint file is then replaced by `text(good)`. */
async function runWithCheckpoint(sandbox: Sandbox, text: (good: string) => string): Promise<string> {
  const folder = await sandbox.writeFeature('ws', chain(77, 3));
  // A real run with a failure leaves a real checkpoint to start from.
  await sandbox.run(['run', folder, '--exec', 'exit 1']);
  const path = sandbox.checkpointFile('F077');
  await writeFile(path, text(await readFile(path, 'utf8')));
  await writeFile(`${path}.bak`, '');
  return cli(sandbox, ['run', folder, '--exec', gatedExecutor]);
}

/** A checkpoint as the Go implementation wrote it: no checksum, checked for structure only. */
function goCheckpoint(overrides: Record<string, unknown>): string {
  return JSON.stringify({
    version: '1.0',
    feature_id: 'F077',
    timestamp: '2026-02-07T12:00:00.123456789Z',
    completed: [],
    failed: [],
    graph: null,
    circuit_breaker: null,
    ...overrides,
  });
}

const graph = (nodes: unknown) => () => DependencyGraph.fromNodes(nodes as GraphNode[]);
const dispatcher = (options: unknown) => () => new Dispatcher(DependencyGraph.fromNodes([{ id: 'a' }]), options as never);

export const badInputs: readonly BadInput[] = [
  // Graphs: @sdp/graph
  {
    area: 'Graph',
    input: "a cycle: `fromNodes([{ id: 'a', dependsOn: ['c'] }, { id: 'b', dependsOn: ['a'] }, { id: 'c', dependsOn: ['b'] }])`",
    expected: 'GraphError GRAPH_CYCLE: cycle: a -> c -> b -> a',
    attempt: () =>
      outcomeOf(
        graph([
          { id: 'a', dependsOn: ['c'] },
          { id: 'b', dependsOn: ['a'] },
          { id: 'c', dependsOn: ['b'] },
        ]),
      ),
  },
  {
    area: 'Graph',
    input: "a missing dependency: `fromNodes([{ id: 'a', dependsOn: ['z'] }])`",
    expected: 'GraphError GRAPH_MISSING_DEPENDENCY: node "a" depends on missing node "z"',
    attempt: () => outcomeOf(graph([{ id: 'a', dependsOn: ['z'] }])),
  },
  {
    area: 'Graph',
    input: "a duplicate node: `fromNodes([{ id: 'a' }, { id: 'a' }])`",
    expected: 'GraphError GRAPH_DUPLICATE_NODE: duplicate node "a"',
    attempt: () => outcomeOf(graph([{ id: 'a' }, { id: 'a' }])),
  },
  {
    area: 'Graph',
    input: "a self-dependency: `fromNodes([{ id: 'a', dependsOn: ['a'] }])`",
    expected: 'GraphError GRAPH_SELF_DEPENDENCY: node "a" depends on itself',
    attempt: () => outcomeOf(graph([{ id: 'a', dependsOn: ['a'] }])),
  },
  {
    area: 'Graph',
    input: "an empty id: `fromNodes([{ id: '' }])`",
    expected: 'GraphError GRAPH_INVALID_ID: invalid node id "": must not be empty',
    attempt: () => outcomeOf(graph([{ id: '' }])),
  },
  {
    area: 'Graph',
    input: "several problems at once: `fromNodes([{ id: 'a', dependsOn: ['a', 'z'] }, { id: 'a' }])`",
    expected:
      'GraphError GRAPH_SELF_DEPENDENCY: 3 problems in the dependency graph:\n- node "a" depends on itself\n- node "a" depends on missing node "z"\n- duplicate node "a"',
    attempt: () => outcomeOf(graph([{ id: 'a', dependsOn: ['a', 'z'] }, { id: 'a' }])),
  },
  {
    area: 'Graph',
    input: "dependencies that are not a list: `fromNodes([{ id: 'a', dependsOn: 'b' }])`",
    expected: 'TypeError: fromNodes: nodes[0].dependsOn must be an array of ids, got "b"',
    attempt: () => outcomeOf(graph([{ id: 'a', dependsOn: 'b' }])),
  },
  {
    area: 'Graph',
    input: "`addNode('b', ['x'])` on a graph without `x`",
    expected: 'GraphError GRAPH_MISSING_DEPENDENCY: node "b" depends on missing node "x"',
    attempt: () => outcomeOf(() => new DependencyGraph().addNode('b', ['x'])),
  },
  {
    area: 'Graph',
    input: 'a snapshot whose `edges` disagree with `depends_on`: `fromSnapshot({ nodes: [a, b depends on a], edges: { a: [] } })`',
    expected: 'GraphError GRAPH_INVALID_SNAPSHOT: invalid snapshot: edges["a"] omits "b", which depends on "a"',
    attempt: () =>
      outcomeOf(() =>
        DependencyGraph.fromSnapshot({
          nodes: [
            { id: 'a', depends_on: [], indegree: 0, completed: false },
            { id: 'b', depends_on: ['a'], indegree: 1, completed: false },
          ],
          edges: { a: [], b: [] },
        }),
      ),
  },

  // Workstream files: sdp-dispatch plan <dir>
  {
    area: 'Workstream files',
    input: 'front matter that is not YAML: `depends_on: [00-078-01` (unclosed list)',
    expected:
      'exit 2: sdp-dispatch: <tmp>/ws/00-078-02.md:3: front matter is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    attempt: (sandbox) => plan(sandbox, { '00-078-02.md': frontMatter('ws_id: 00-078-02', 'depends_on: [00-078-01') }),
  },
  {
    area: 'Workstream files',
    input: 'an id that is not a workstream id: `ws_id: auth-api`',
    expected:
      'exit 2: sdp-dispatch: <tmp>/ws/auth.md:2: ws_id "auth-api" is not a workstream id (expected project-feature-sequence digits like 00-052-14, or a fix id like 99-F052-0001)',
    attempt: (sandbox) => plan(sandbox, { 'auth.md': frontMatter('ws_id: auth-api') }),
  },
  {
    area: 'Workstream files',
    input: 'a dependency that cannot be read: `depends_on: the auth stuff`',
    expected:
      'exit 2: sdp-dispatch: <tmp>/ws/00-078-02.md:3: 00-078-02: depends_on "the auth stuff" cannot be read as workstream ids: "the" is not an id like 00-052-14 (write ids separated by commas, spaces or "and", notes in parentheses, or None)',
    attempt: (sandbox) =>
      plan(sandbox, {
        '00-078-01.md': frontMatter('ws_id: 00-078-01'),
        '00-078-02.md': frontMatter('ws_id: 00-078-02', 'depends_on: the auth stuff'),
      }),
  },
  {
    area: 'Workstream files',
    input: 'one id declared by two files (`a.md` and `b.md` both `ws_id: 00-078-01`)',
    expected:
      'exit 2: sdp-dispatch: <tmp>/ws/b.md:2: 00-078-01: workstream id is also declared by <tmp>/ws/a.md:2: remove one copy, or --exclude it',
    attempt: (sandbox) => plan(sandbox, { 'a.md': frontMatter('ws_id: 00-078-01'), 'b.md': frontMatter('ws_id: 00-078-01') }),
  },
  {
    area: 'Workstream files',
    input: '`blocks: [00-078-09]` naming a workstream no file declares',
    expected:
      'exit 2: sdp-dispatch: <tmp>/ws/00-078-01.md:3: 00-078-01: blocks names 00-078-09, which no file in <tmp>/ws declares: fix the id or remove it',
    attempt: (sandbox) => plan(sandbox, { '00-078-01.md': frontMatter('ws_id: 00-078-01', 'blocks: [00-078-09]') }),
  },
  {
    area: 'Workstream files',
    input: '`feature_id: F079` in the file of `ws_id: 00-078-01`',
    expected:
      'exit 2: sdp-dispatch: <tmp>/ws/00-078-01.md:3: 00-078-01: feature_id F079 disagrees with ws_id 00-078-01, which belongs to F078: fix the id or the feature',
    attempt: (sandbox) => plan(sandbox, { '00-078-01.md': frontMatter('ws_id: 00-078-01', 'feature_id: F079') }),
  },
  {
    area: 'Workstream files',
    input: '`depends_on` in a file without `ws_id`',
    expected: 'exit 2: sdp-dispatch: <tmp>/ws/notes.md:2: has depends_on but no ws_id: add "ws_id: <id>" beside it',
    attempt: (sandbox) =>
      plan(sandbox, { '00-078-01.md': frontMatter('ws_id: 00-078-01'), 'notes.md': frontMatter('depends_on: [00-078-01]') }),
  },
  {
    area: 'Workstream files',
    input: 'front matter opened by `---` and never closed',
    expected: 'exit 2: sdp-dispatch: <tmp>/ws/00-078-01.md:2: front matter opened on line 1 is never closed by a "---" line: close it',
    attempt: (sandbox) => plan(sandbox, { '00-078-01.md': '---\nws_id: 00-078-01\n\n# no closing line\n' }),
  },
  {
    area: 'Workstream files',
    input: 'a status that is a list: `status: [todo, done]`',
    expected: 'exit 2: sdp-dispatch: <tmp>/ws/00-078-01.md:3: 00-078-01: status must be a single value, not "[todo, done]"',
    attempt: (sandbox) => plan(sandbox, { '00-078-01.md': frontMatter('ws_id: 00-078-01', 'status: [todo, done]') }),
  },
  {
    area: 'Workstream files',
    input: 'the seed format with an unreadable dependency: `- **dependencies**: whatever the API needs`',
    expected:
      'exit 2: sdp-dispatch: <tmp>/ws/00-078-01.md:5: 00-078-01: dependencies "whatever the API needs" cannot be read as workstream ids: "whatever" is not an id like 00-052-14 (write ids separated by commas, spaces or "and", notes in parentheses, or None)',
    attempt: (sandbox) =>
      plan(sandbox, { '00-078-01.md': '# WS\n\n## Metadata\n- **ws_id**: 00-078-01\n- **dependencies**: whatever the API needs\n' }),
  },
  {
    area: 'Workstream files',
    input: 'a cycle through three files (01 needs 03, 02 needs 01, 03 needs 02)',
    expected: 'exit 2: sdp-dispatch: <tmp>/ws/00-078-01.md: cycle: 00-078-01 -> 00-078-03 -> 00-078-02 -> 00-078-01',
    attempt: (sandbox) =>
      plan(sandbox, {
        '00-078-01.md': frontMatter('ws_id: 00-078-01', 'depends_on: [00-078-03]'),
        '00-078-02.md': frontMatter('ws_id: 00-078-02', 'depends_on: [00-078-01]'),
        '00-078-03.md': frontMatter('ws_id: 00-078-03', 'depends_on: [00-078-02]'),
      }),
  },
  {
    area: 'Workstream files',
    input: 'a dependency on a workstream of the same feature that no file declares',
    expected: 'exit 2: sdp-dispatch: <tmp>/ws/00-078-01.md: node "00-078-01" depends on missing node "00-078-07"',
    attempt: (sandbox) => plan(sandbox, { '00-078-01.md': frontMatter('ws_id: 00-078-01', 'depends_on: [00-078-07]') }),
  },
  {
    area: 'Workstream files',
    input:
      '`run` with a dependency on a workstream of another feature that is not done (`00-079-01`, `status: todo`; `plan` shows the wait)',
    expected:
      'exit 2: sdp-dispatch: <tmp>/ws/00-078-01.md: 00-078-01 depends on 00-079-01 of feature F079, which is not done (<tmp>/ws/00-079-01.md)',
    attempt: (sandbox) =>
      plan(
        sandbox,
        {
          '00-078-01.md': frontMatter('ws_id: 00-078-01', 'depends_on: [00-079-01]'),
          '00-079-01.md': frontMatter('ws_id: 00-079-01', 'status: todo'),
        },
        ['--feature', 'F078', '--exec', 'true'],
        'run',
      ),
  },
  {
    area: 'Workstream files',
    input: 'a folder with two features and no `--feature`',
    expected:
      'exit 2: sdp-dispatch: <tmp>/ws holds workstreams of several features (F078, F079); select one with --feature, e.g. --feature F078',
    attempt: (sandbox) =>
      plan(sandbox, { '00-078-01.md': frontMatter('ws_id: 00-078-01'), '00-079-01.md': frontMatter('ws_id: 00-079-01') }),
  },
  {
    area: 'Workstream files',
    input: '`--feature 80` for a folder that holds F078 only',
    expected: 'exit 2: sdp-dispatch: feature F080 not found in <tmp>/ws; it holds F078',
    attempt: (sandbox) => plan(sandbox, { '00-078-01.md': frontMatter('ws_id: 00-078-01') }, ['--feature', '80']),
  },
  {
    area: 'Workstream files',
    input: 'a folder of markdown files none of which declares a workstream',
    expected: 'exit 2: sdp-dispatch: <tmp>/ws holds no workstreams (1 markdown file, none declares a workstream id)',
    attempt: (sandbox) => plan(sandbox, { 'README.md': '# Notes\n\nNothing to run here.\n' }),
  },
  {
    area: 'Workstream files',
    input: 'a folder that does not exist',
    expected: "exit 2: sdp-dispatch: ENOENT: no such file or directory, scandir '<tmp>/nowhere'",
    attempt: (sandbox) => cli(sandbox, ['plan', join(sandbox.root, 'nowhere')]),
  },

  // Checkpoints: sdp-dispatch run over a feature F077 whose checkpoint file was replaced
  {
    area: 'Checkpoint',
    input: 'a truncated checkpoint, and an empty `.bak`',
    expected:
      'exit 2: sdp-dispatch: Checkpoint <tmp>/cwd/.sdp/checkpoints/F077-checkpoint.json is damaged (not valid JSON (Unexpected end of JSON input); backup damaged too (not valid JSON (Unexpected end of JSON input))) and has no usable backup; nothing was moved or removed. To start over, discard it (--fresh on the command line, delete() in the library)',
    attempt: (sandbox) => runWithCheckpoint(sandbox, (good) => good.slice(0, 100)),
  },
  {
    area: 'Checkpoint',
    input: 'a checkpoint of format `"version":"2.0"` (checksum valid)',
    expected:
      'exit 2: sdp-dispatch: Checkpoint <tmp>/cwd/.sdp/checkpoints/F077-checkpoint.json has format version "2.0"; this package reads "1.0" (or no version, as Go writes it). The file was left untouched; a newer tool may read it, or discard it to start over',
    attempt: (sandbox) => runWithCheckpoint(sandbox, (good) => reseal(good.replace('"version":"1.0"', '"version":"2.0"'))),
  },
  {
    area: 'Checkpoint',
    input: 'a checkpoint of feature F099 under the name `F077-checkpoint.json` (checksum valid)',
    expected: 'exit 2: sdp-dispatch: checkpoint <tmp>/cwd/.sdp/checkpoints/F077-checkpoint.json belongs to feature "F099", not "F077"',
    attempt: (sandbox) => runWithCheckpoint(sandbox, (good) => reseal(good.replace('"feature_id":"F077"', '"feature_id":"F099"'))),
  },
  {
    area: 'Checkpoint',
    input: 'a Go-written checkpoint (no checksum) with `"completed": "00-077-01"` (not a list)',
    expected:
      'exit 2: sdp-dispatch: Checkpoint <tmp>/cwd/.sdp/checkpoints/F077-checkpoint.json is damaged ($.completed must be an array of non-empty strings, got "00-077-01"; backup damaged too (not valid JSON (Unexpected end of JSON input))) and has no usable backup; nothing was moved or removed. To start over, discard it (--fresh on the command line, delete() in the library)',
    attempt: (sandbox) => runWithCheckpoint(sandbox, () => goCheckpoint({ completed: '00-077-01' })),
  },
  {
    area: 'Checkpoint',
    input: 'a lock file that is not a lock record (`garbage`), fresh',
    expected:
      'exit 2: sdp-dispatch: Checkpoint lock <tmp>/cwd/.sdp/checkpoints/F077-checkpoint.json.lock is held by pid 0 on unknown since <time>; wait for that run to finish or stop it; is another run of this feature still going?',
    attempt: async (sandbox) => {
      const folder = await sandbox.writeFeature('ws', chain(77, 3));
      await mkdir(sandbox.checkpointDir, { recursive: true });
      await writeFile(`${sandbox.checkpointFile('F077')}.lock`, 'garbage');
      return cli(sandbox, ['run', folder, '--exec', gatedExecutor]);
    },
  },
  {
    area: 'Checkpoint',
    input: '`--checkpoint-dir state/checkpoints` where `state` is a regular file',
    expected: "exit 2: sdp-dispatch: ENOTDIR: not a directory, mkdir '<tmp>/cwd/state/checkpoints'",
    attempt: async (sandbox) => {
      const folder = await sandbox.writeFeature('ws', chain(77, 3));
      await writeFile(join(sandbox.cwd, 'state'), '');
      return cli(sandbox, ['run', folder, '--exec', gatedExecutor, '--checkpoint-dir', 'state/checkpoints']);
    },
  },

  // Options: the libraries' constructors and calls
  {
    area: 'Options',
    input: '`new Dispatcher(graph, { featureId: "F1", concurrency: 0 })`',
    expected: 'RangeError: concurrency must be an integer >= 1, got 0',
    attempt: () => outcomeOf(dispatcher({ featureId: 'F1', concurrency: 0 })),
  },
  {
    area: 'Options',
    input: '`new Dispatcher(graph, { featureId: "F1", concurrency: "4" })`',
    expected: 'TypeError: concurrency must be a number, got "4"',
    attempt: () => outcomeOf(dispatcher({ featureId: 'F1', concurrency: '4' })),
  },
  {
    area: 'Options',
    input: '`new Dispatcher(graph, { featureId: "F1", retries: 1.5 })`',
    expected: 'RangeError: retries must be an integer >= 0, got 1.5',
    attempt: () => outcomeOf(dispatcher({ featureId: 'F1', retries: 1.5 })),
  },
  {
    area: 'Options',
    input: '`new Dispatcher(graph, { featureId: "F1", attemptTimeoutMs: 0 })`',
    expected: 'RangeError: attemptTimeoutMs must be a finite number of milliseconds >= 1, got 0',
    attempt: () => outcomeOf(dispatcher({ featureId: 'F1', attemptTimeoutMs: 0 })),
  },
  {
    area: 'Options',
    input: '`new Dispatcher(graph, { featureId: "F1", graceMs: -1 })`',
    expected: 'RangeError: graceMs must be a finite number of milliseconds >= 0, got -1',
    attempt: () => outcomeOf(dispatcher({ featureId: 'F1', graceMs: -1 })),
  },
  {
    area: 'Options',
    input: '`new Dispatcher(graph, { featureId: "F1", onBreakerOpen: "later" })`',
    expected: "TypeError: onBreakerOpen must be 'wait' or 'stop', got \"later\"",
    attempt: () => outcomeOf(dispatcher({ featureId: 'F1', onBreakerOpen: 'later' })),
  },
  {
    area: 'Options',
    input: '`new Dispatcher(graph, { featureId: "" })`',
    expected: 'TypeError: featureId must be a non-empty string, got ""',
    attempt: () => outcomeOf(dispatcher({ featureId: '' })),
  },
  {
    area: 'Options',
    input: '`new Dispatcher(graph, { featureId: "F1", checkpoint: new CheckpointStore({ featureId: "F2" }) })`',
    expected: 'TypeError: checkpoint store is for feature "F2", not "F1"',
    attempt: () => outcomeOf(dispatcher({ featureId: 'F1', checkpoint: new CheckpointStore({ featureId: 'F2' }) })),
  },
  {
    area: 'Options',
    input: '`new Dispatcher(graph, { featureId: "F1", breaker: { threshold: 6, window: 5 } })`',
    expected: 'RangeError: CircuitBreaker option "threshold" must be <= window (5), got 6',
    attempt: () => outcomeOf(dispatcher({ featureId: 'F1', breaker: { threshold: 6, window: 5 } })),
  },
  {
    area: 'Options',
    input: "`new Dispatcher([{ id: 'a' }], { featureId: 'F1' })` (nodes, not a graph)",
    expected: 'TypeError: graph must be a DependencyGraph from @sdp/graph',
    attempt: () => outcomeOf(() => new Dispatcher([{ id: 'a' }] as never, { featureId: 'F1' })),
  },
  {
    area: 'Options',
    input: '`dispatcher.run("make")` (a command, not a function)',
    expected: 'TypeError: execute must be a function, got string',
    attempt: () =>
      outcomeOf(() =>
        new Dispatcher(DependencyGraph.fromNodes([{ id: 'a' }]), { featureId: 'F1', checkpoint: false }).run('make' as never),
      ),
  },
  {
    area: 'Options',
    input: '`new CheckpointStore({ featureId: "../F1" })`',
    expected:
      'TypeError: CheckpointStore: featureId must be one file-name component: no "/" or "\\", no "..", no control characters, got "../F1"',
    attempt: () => outcomeOf(() => new CheckpointStore({ featureId: '../F1' })),
  },
  {
    area: 'Options',
    input: '`new CheckpointStore({ featureId: "F1", staleMs: 2 })`',
    expected: 'RangeError: CheckpointStore: staleMs must be at least 3, got 2',
    attempt: () => outcomeOf(() => new CheckpointStore({ featureId: 'F1', staleMs: 2 })),
  },
  {
    area: 'Options',
    input: '`new CheckpointStore({ featureId: "F1", staleMs: 1000, heartbeatMs: 600 })`',
    expected: 'RangeError: CheckpointStore: heartbeatMs must be at most half of staleMs (500), got 600',
    attempt: () => outcomeOf(() => new CheckpointStore({ featureId: 'F1', staleMs: 1000, heartbeatMs: 600 })),
  },
  {
    area: 'Options',
    input: '`store.save(checkpoint)` without `store.acquire()`',
    expected:
      'CheckpointNotLockedError CHECKPOINT_NOT_LOCKED: Checkpoint lock <tmp>/cp/F1-checkpoint.json.lock is not held by this store: call acquire() first',
    attempt: async (sandbox) => {
      const store = new CheckpointStore({ featureId: 'F1', dir: join(sandbox.root, 'cp') });
      const checkpoint: Checkpoint = {
        version: '1.0',
        feature_id: 'F1',
        timestamp: '2026-02-07T12:00:00Z',
        completed: [],
        failed: [],
        graph: null,
        circuit_breaker: null,
      };
      return sandbox.normalize(await outcomeOf(() => store.save(checkpoint)));
    },
  },
  {
    area: 'Options',
    input: "`validateCheckpoint({ ...checkpoint, completed: ['a', 7] })`",
    expected: 'CheckpointValidationError CHECKPOINT_INVALID: $.completed[1] must be a non-empty string, got 7',
    attempt: () =>
      outcomeOf(() =>
        validateCheckpoint({
          version: '1.0',
          feature_id: 'F1',
          timestamp: '2026-02-07T12:00:00Z',
          completed: ['a', 7],
          failed: [],
          graph: null,
          circuit_breaker: null,
        }),
      ),
  },
  {
    area: 'Options',
    input: '`new CircuitBreaker({ timeout: 0 })`',
    expected: 'RangeError: CircuitBreaker option "timeout" must be an integer >= 1, got 0',
    attempt: () => outcomeOf(() => new CircuitBreaker({ timeout: 0 })),
  },
  {
    area: 'Options',
    input: "`loadWorkstreams('ws', { feature: 'auth' })`",
    expected: 'RangeError: options.feature must be a feature id such as "F052" or "052", got "auth"',
    attempt: () => outcomeOf(() => loadWorkstreams('ws', { feature: 'auth' })),
  },

  // Command line: sdp-dispatch <args>
  {
    area: 'Command line',
    input: '`sdp-dispatch` (no command)',
    expected: 'exit 2: sdp-dispatch: missing command: run, plan, status or clean\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, []),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch go ws`',
    expected: 'exit 2: sdp-dispatch: unknown command "go": use run, plan, status or clean\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['go', 'ws']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch plan`',
    expected: 'exit 2: sdp-dispatch: missing <dir>: sdp-dispatch plan <dir>\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['plan']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch plan ws extra`',
    expected: 'exit 2: sdp-dispatch: unexpected argument "extra"\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['plan', 'ws', 'extra']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch run ws` (no `--exec`)',
    expected:
      'exit 2: sdp-dispatch: "run" needs --exec \'<command>\', e.g. sdp-dispatch run ws --exec \'make -C "$SDP_WS_ID"\'\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['run', 'ws']),
  },
  {
    area: 'Command line',
    input: "`sdp-dispatch run ws --exec ' '`",
    expected:
      'exit 2: sdp-dispatch: "run" needs --exec \'<command>\', e.g. sdp-dispatch run ws --exec \'make -C "$SDP_WS_ID"\'\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['run', 'ws', '--exec', ' ']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch run ws -e make -c 0`',
    expected: 'exit 2: sdp-dispatch: --concurrency must be a whole number >= 1, got "0"\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['run', 'ws', '-e', 'make', '-c', '0']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch run ws -e make -c 2.5`',
    expected: 'exit 2: sdp-dispatch: --concurrency must be a whole number >= 1, got "2.5"\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['run', 'ws', '-e', 'make', '-c', '2.5']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch run ws -e make --retries -1`',
    expected:
      "exit 2: sdp-dispatch: Option '--retries' argument is ambiguous.\nDid you forget to specify the option argument for '--retries'?\nTo specify an option argument starting with a dash use '--retries=-XYZ'.\nRun sdp-dispatch --help for usage.",
    attempt: (sandbox) => cli(sandbox, ['run', 'ws', '-e', 'make', '--retries', '-1']),
  },
  {
    area: 'Command line',
    input: "`sdp-dispatch run ws -e make --timeout '5 minutes'`",
    expected:
      'exit 2: sdp-dispatch: --timeout must be a duration like 1500ms, 90s, 20m or 1h, got "5 minutes"\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['run', 'ws', '-e', 'make', '--timeout', '5 minutes']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch run ws -e make --timeout 0`',
    expected: 'exit 2: sdp-dispatch: --timeout must be at least 1ms, got "0"\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['run', 'ws', '-e', 'make', '--timeout', '0']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch run ws -e make --breaker-window 0`',
    expected: 'exit 2: sdp-dispatch: --breaker-window must be a whole number >= 1, got "0"\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['run', 'ws', '-e', 'make', '--breaker-window', '0']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch run ws -e make --on-breaker-open later`',
    expected: 'exit 2: sdp-dispatch: --on-breaker-open must be wait or stop, got "later"\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['run', 'ws', '-e', 'make', '--on-breaker-open', 'later']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch clean ws --json`',
    expected: 'exit 2: sdp-dispatch: --json applies to run, plan and status only\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['clean', 'ws', '--json']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch plan ws --concurrency 2`',
    expected: 'exit 2: sdp-dispatch: --concurrency applies to "run" only\nRun sdp-dispatch --help for usage.',
    attempt: (sandbox) => cli(sandbox, ['plan', 'ws', '--concurrency', '2']),
  },
  {
    area: 'Command line',
    input: '`sdp-dispatch plan ws --nope`',
    expected:
      "exit 2: sdp-dispatch: Unknown option '--nope'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--nope\"\nRun sdp-dispatch --help for usage.",
    attempt: (sandbox) => cli(sandbox, ['plan', 'ws', '--nope']),
  },
];
