import type { CommonArgs } from './args.js';
import { loadFeature } from './load-feature.js';
import type { Output } from './reporter.js';

/** `sdp-dispatch plan`: validates the folder and prints the waves and the critical path. */
export async function planCommand(args: CommonArgs, out: Output): Promise<number> {
  const { loaded, graph, done } = await loadFeature(args);
  const doneSet = new Set(done);
  const levels = graph.levels();
  const critical = graph.criticalPath();
  const lines = [
    `Feature ${loaded.featureId}: ${graph.size} workstreams (${done.length} done), ${levels.length} waves, critical path of ${critical.path.length}`,
    '',
    ...levels.map((wave, i) => `Wave ${i + 1}: ${wave.map((id) => (doneSet.has(id) ? `${id} (done)` : id)).join(', ')}`),
    '',
    `Critical path: ${critical.path.join(' -> ')}`,
  ];
  if (loaded.external.length > 0) {
    lines.push(`Satisfied by other features: ${loaded.external.map((node) => `${node.id} (${node.featureId})`).join(', ')}`);
  }
  if (args.verbose && loaded.skippedFiles.length > 0) {
    lines.push('', 'Not workstreams (passed over):', ...loaded.skippedFiles.map((file) => `  ${file.file}: ${file.reason}`));
  }
  out.write(`${lines.join('\n')}\n`);
  return 0;
}
