import type { CommonArgs } from './args.js';
import { loadFeature, skippedFilesText } from './load-feature.js';
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
  out.write(`${lines.join('\n')}\n`);
  if (args.verbose) out.write(skippedFilesText(loaded));
  return 0;
}
