import { resolve } from 'node:path';
import type { CommonArgs } from './args.js';
import { isCliError, type CliError } from './cli-error.js';
import { loadFeature, skippedFilesText, warningsText, type Feature } from './load-feature.js';
import { commandOf } from './paths.js';
import { statePathsOf } from './state-dir.js';
import type { Output } from './reporter.js';
import { describeWaiting, isWorkstreamFileError, type WorkstreamProblem } from './workstreams/index.js';

/**
 * `sdp-dispatch plan`: validates the folder and prints the waves and the critical path, or with
 * `--json` one JSON document of the same. A feature waiting for unfinished workstreams of other
 * features is shown with what it waits for (`run` refuses it until they are done).
 */
export async function planCommand(args: CommonArgs, out: Output): Promise<number> {
  let feature: Feature;
  try {
    feature = await loadFeature(args, { allowWaiting: true });
  } catch (error) {
    // With --json a refused feature is still one document: its problems, every one, and exit code 2.
    if (!args.json || !isCliError(error)) throw error;
    out.write(`${JSON.stringify(refusedDocument(error), null, 2)}\n`);
    return 2;
  }
  const runCommand = commandOf('run', anywhereArgs(args, feature), ['--exec', '<command>']);
  if (args.json) {
    out.write(`${JSON.stringify(planDocument(feature, runCommand), null, 2)}\n`);
    return 0;
  }
  const { loaded, graph, done } = feature;
  const doneSet = new Set(done);
  const waitsFor = new Map<string, string[]>();
  for (const item of loaded.waiting) waitsFor.set(item.workstream, [...(waitsFor.get(item.workstream) ?? []), item.dependency]);
  const label = (id: string): string =>
    doneSet.has(id) ? `${id} (done)` : waitsFor.has(id) ? `${id} (waits for ${(waitsFor.get(id) ?? []).join(', ')})` : id;
  const levels = graph.levels();
  const critical = graph.criticalPath();
  const lines = [
    `Feature ${loaded.featureId}: ${graph.size} workstreams (${done.length} done), ${levels.length} waves, critical path of ${critical.path.length}`,
    '',
    ...levels.map((wave, i) => `Wave ${i + 1}: ${wave.map(label).join(', ')}`),
    '',
    `Critical path: ${critical.path.join(' -> ')}`,
  ];
  if (loaded.external.length > 0) {
    lines.push(`Satisfied by other features: ${loaded.external.map((node) => `${node.id} (${node.featureId})`).join(', ')}`);
  }
  if (loaded.waiting.length > 0) {
    lines.push('', `Waiting on unfinished workstreams of other features ("run" refuses to start until they are done):`);
    lines.push(...loaded.waiting.map((item) => `  ${describeWaiting(item)}`));
  }
  const warnings = warningsText(loaded);
  if (warnings !== '') lines.push('', warnings.trimEnd());
  lines.push('', `State: ${feature.paths.stateDir} (checkpoint in ${feature.paths.checkpointDir})`, `Run from anywhere: ${runCommand}`);
  out.write(`${lines.join('\n')}\n`);
  out.write(skippedFilesText(loaded, args.verbose));
  return 0;
}

/** The arguments that select the same feature and state from any directory. */
function anywhereArgs(
  args: CommonArgs,
  feature: Feature,
): { dir: string; feature: string; exclude: readonly string[]; checkpointDir?: string } {
  const defaultDir = statePathsOf(args.stateRoot, feature.loaded.featureId).checkpointDir;
  return {
    dir: resolve(args.dir),
    feature: feature.loaded.featureId,
    exclude: args.exclude,
    ...(feature.paths.checkpointDir === defaultDir ? {} : { checkpointDir: feature.paths.checkpointDir }),
  };
}

/** Version 1 of `plan --json`: everything the text shows, for other tools. */
export function planDocument(feature: Feature, runCommand: string): object {
  const { loaded, graph, done, paths } = feature;
  const critical = graph.criticalPath();
  return {
    version: 1,
    featureId: loaded.featureId,
    workstreams: loaded.nodes.map((node) => ({
      id: node.id,
      file: node.file,
      ...(node.title === undefined ? {} : { title: node.title }),
      ...(node.status === undefined ? {} : { status: node.status }),
      done: node.done,
      dependsOn: node.dependsOn,
      declaredAt: node.declaredAt,
    })),
    external: loaded.external.map((node) => ({ id: node.id, featureId: node.featureId, file: node.file, done: node.done })),
    waiting: loaded.waiting,
    waves: graph.levels(),
    criticalPath: critical.path,
    done,
    warnings: loaded.warnings,
    problems: [],
    otherProblems: loaded.otherProblems,
    skippedFiles: loaded.skippedFiles,
    excludedFiles: loaded.excludedFiles,
    state: paths,
    runCommand,
  };
}

/** `plan --json` of a feature that cannot be planned: the error and every problem, each with file and line. */
function refusedDocument(error: CliError): object {
  const problems: readonly WorkstreamProblem[] = isWorkstreamFileError(error)
    ? error.problems
    : error.message.split('\n').map((line) => ({ file: '', problem: line }));
  const { requested, features } = error as { requested?: string; features?: string[] };
  return {
    version: 1,
    ...(requested === undefined ? {} : { featureId: requested }),
    ...(features === undefined ? {} : { features }),
    error: { name: error.name, code: error.code, message: error.message },
    problems,
  };
}
