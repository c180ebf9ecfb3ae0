import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadWorkstreams, type WorkstreamNode } from './load-workstreams.js';

// The demo feature of the repository (examples/feature-F060), which the CLI demo runs.
const EXAMPLE = fileURLToPath(new URL('../../../../examples/feature-F060/', import.meta.url));

/** Waves of a DAG (Kahn); throws on a cycle or a dependency outside the nodes. */
function waves(nodes: readonly WorkstreamNode[]): string[][] {
  const ids = new Set(nodes.map((node) => node.id));
  for (const node of nodes) for (const dependency of node.dependsOn) expect(ids).toContain(dependency);
  const placed = new Set<string>();
  const result: string[][] = [];
  while (placed.size < nodes.length) {
    const wave = nodes
      .filter((node) => !placed.has(node.id) && node.dependsOn.every((dependency) => placed.has(dependency)))
      .map((node) => node.id);
    if (wave.length === 0) throw new Error('cycle');
    for (const id of wave) placed.add(id);
    result.push(wave);
  }
  return result;
}

function dependentsOf(nodes: readonly WorkstreamNode[], id: string): string[] {
  const found = new Set<string>([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const node of nodes) {
      if (!found.has(node.id) && node.dependsOn.some((dependency) => found.has(dependency))) {
        found.add(node.id);
        grew = true;
      }
    }
  }
  found.delete(id);
  return [...found].sort();
}

describe('examples/feature-F060', () => {
  it('loads as one feature of 20 to 30 workstreams with one done and the summary passed over', async () => {
    const loaded = await loadWorkstreams(EXAMPLE);
    expect(loaded.featureId).toBe('F060');
    expect(loaded.nodes.length).toBeGreaterThanOrEqual(20);
    expect(loaded.nodes.length).toBeLessThanOrEqual(30);
    expect(loaded.nodes.filter((node) => node.done).map((node) => node.id)).toEqual(['00-060-01']);
    expect(loaded.external).toEqual([]);
    expect(loaded.skippedFiles.map((skipped) => path.relative(EXAMPLE, skipped.file))).toEqual(['SUMMARY.md']);
    expect(loaded.nodes.every((node) => node.title !== undefined && node.title.length > 0)).toBe(true);
  });

  it('uses both formats, about half each', async () => {
    const loaded = await loadWorkstreams(EXAMPLE);
    const texts = await Promise.all(loaded.nodes.map((node) => readFile(node.file, 'utf8')));
    const frontMatter = texts.filter((text) => text.startsWith('---\n')).length;
    const bullets = texts.filter((text) => /^## Metadata$/m.test(text)).length;
    expect(frontMatter + bullets).toBe(loaded.nodes.length);
    expect(Math.abs(frontMatter - bullets)).toBeLessThanOrEqual(loaded.nodes.length / 5);
  });

  it('is a valid graph with parallel chains, a blocks edge, and a failure point in the middle of a chain', async () => {
    const { nodes } = await loadWorkstreams(EXAMPLE);
    const levels = waves(nodes);
    expect(Math.max(...levels.map((wave) => wave.length))).toBeGreaterThanOrEqual(4);
    expect(levels.length).toBeGreaterThanOrEqual(5);
    // Only 00-060-08's `blocks: [00-060-05]` puts this edge in.
    expect(nodes.find((node) => node.id === '00-060-05')?.dependsOn).toContain('00-060-08');
    // simulate-agent.mjs fails 00-060-15: its dependents are skipped, the rest can finish.
    expect(dependentsOf(nodes, '00-060-15')).toEqual(['00-060-16', '00-060-17', '00-060-21', '00-060-24']);
    expect(nodes.find((node) => node.id === '00-060-15')?.dependsOn.length).toBeGreaterThan(0);
  });
});
