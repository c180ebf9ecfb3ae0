import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SeededRandom } from '@sdp/internal/testing';

export interface GeneratedFeature {
  readonly featureId: string;
  /** Workstream ids in file order. */
  readonly ids: readonly string[];
  /** Each workstream's dependencies. */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>;
  /** How long the executor sleeps in each workstream, in ms. */
  readonly durationsMs: ReadonlyMap<string, number>;
}

export interface GenerateFeatureOptions {
  seed: number;
  /** Number of workstreams, 1 to 999. Default 56. */
  size?: number;
  /** Feature number: ids are `00-<number>-NN`. Default 70. */
  featureNumber?: number;
  /** Executor sleep per workstream, drawn uniformly from this range. Default [5, 60] ms. */
  durationMs?: readonly [number, number];
}

/**
 * A seeded random feature: each workstream depends on up to three earlier ones, mostly recent ones, so
 * the graph has long chains and wide waves. Same seed, same feature.
 */
export function generateFeature(options: GenerateFeatureOptions): GeneratedFeature {
  const { seed, size = 56, featureNumber = 70, durationMs = [5, 60] } = options;
  if (!Number.isInteger(size) || size < 1 || size > 999) throw new RangeError(`size must be an integer from 1 to 999, got ${size}`);
  const random = new SeededRandom(seed);
  const feature = String(featureNumber).padStart(3, '0');
  const width = size > 99 ? 3 : 2;
  const ids = Array.from({ length: size }, (_, index) => `00-${feature}-${String(index + 1).padStart(width, '0')}`);
  const dependsOn = new Map<string, readonly string[]>();
  const durationsMs = new Map<string, number>();
  ids.forEach((id, index) => {
    const count = index === 0 ? 0 : random.int(0, Math.min(3, index));
    const deps = new Set<string>();
    for (let k = 0; k < count; k += 1) {
      // Mostly one of the last eight, sometimes anything earlier.
      const back = random.next() < 0.7 ? random.int(1, Math.min(8, index)) : random.int(1, index);
      deps.add(ids[index - back] ?? '');
    }
    dependsOn.set(id, [...deps]);
    durationsMs.set(id, Math.round(random.uniform(durationMs[0], durationMs[1])));
  });
  return { featureId: `F${feature}`, ids, dependsOn, durationsMs };
}

/** The markdown file of one workstream, in YAML front matter; the list style varies with the seed. */
export function workstreamMarkdown(feature: GeneratedFeature, id: string, blockList: boolean): string {
  const deps = feature.dependsOn.get(id) ?? [];
  const dependsOn =
    blockList && deps.length > 0 ? `depends_on:\n${deps.map((dep) => `  - ${dep}`).join('\n')}` : `depends_on: [${deps.join(', ')}]`;
  return [
    '---',
    `ws_id: ${id}`,
    `feature_id: ${feature.featureId}`,
    `title: Crash-suite workstream ${id}`,
    dependsOn,
    'status: todo',
    '---',
    '',
    `# ${id}: Crash-suite workstream`,
    '',
    `Sleeps ${feature.durationsMs.get(id) ?? 0} ms between its start and end records.`,
    '',
  ].join('\n');
}

/** Writes one markdown file per workstream into `dir` (created); `seed` picks each file's list style. */
export async function writeFeature(dir: string, feature: GeneratedFeature, seed: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const random = new SeededRandom(seed);
  for (const id of feature.ids) {
    await writeFile(join(dir, `${id}.md`), workstreamMarkdown(feature, id, random.next() < 0.3));
  }
}
