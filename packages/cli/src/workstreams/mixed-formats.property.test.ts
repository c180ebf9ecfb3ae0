import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { arbitraryDag } from '@sdp/internal/testing';
import { loadWorkstreams } from './load-workstreams.js';

/** Node `n<k>` of the random DAG as a workstream id; every fifth one a fix id. */
const idOf = (node: string): string => {
  const k = Number(node.slice(1)) + 1;
  return k % 5 === 0 ? `99-F050-${String(k).padStart(4, '0')}` : `00-050-${String(k).padStart(2, '0')}`;
};

const DONE = ['done', 'Completed', '✅ Merged', 'closed', 'DONE ✅ (2026-01-02)'];
const NOT_DONE = ['backlog', 'In progress', 'pending', 'ready'];

interface Declaration {
  id: string;
  status: string;
  /** Ids this one depends on, declared in its own file. */
  dependsOn: string[];
  /** Ids that depend on this one, declared in this file (`blocks`, `DOWNSTREAM`). */
  blocks: string[];
}

const bullets = (ids: readonly string[], note: boolean): string[] =>
  ids.map((id, i) => (note && i % 2 === 0 ? `- WS ${id} (needed first)` : `- ${id}`));

/** One writer per format of the README; each writes the same declaration. */
const writers: ((d: Declaration) => string)[] = [
  // YAML front matter.
  (d) =>
    [
      '---',
      `ws_id: ${d.id}`,
      `status: ${d.status}`,
      `depends_on: [${d.dependsOn.join(', ')}]`,
      ...(d.blocks.length > 0 ? [`blocks: [${d.blocks.join(', ')}]`] : []),
      '---',
      `# ${d.id}: Work`,
    ].join('\n'),
  // The seed's ## Metadata bullets.
  (d) =>
    [
      `# ${d.id}: Work`,
      '',
      '## Metadata',
      `- **ws_id**: ${d.id}`,
      `- **status**: ${d.status}`,
      `- **dependencies**: ${d.dependsOn.length === 0 ? 'None' : d.dependsOn.join(', ')}`,
      ...(d.blocks.length > 0 ? [`- **blocks**: ${d.blocks.join(', ')}`] : []),
    ].join('\n'),
  // Blockquote headers, dependencies as quoted bullets, DOWNSTREAM in the body.
  (d) =>
    [
      `# ${d.id}: Work`,
      '',
      '> **Feature:** F050',
      `> **Status:** ${d.status}`,
      '> **Dependencies:**',
      ...(d.dependsOn.length === 0 ? ['> - None'] : d.dependsOn.map((id) => `> - ${id}`)),
      '',
      '## Notes',
      '',
      ...(d.blocks.length > 0 ? ['**DOWNSTREAM:**', ...bullets(d.blocks, true)] : []),
    ].join('\n'),
  // Bold lines and a ## Dependencies section with notes.
  (d) =>
    [
      `# Workstream ${d.id}: Work`,
      '',
      '**Feature:** F050 - Random',
      `**Status:** ${d.status}`,
      '',
      '## Dependencies',
      '',
      ...(d.dependsOn.length === 0 ? ['None'] : d.dependsOn.map((id) => `- ${id} — must land first`)),
      '',
      ...(d.blocks.length > 0 ? ['## Downstream', '', ...bullets(d.blocks, false)] : []),
    ].join('\n'),
  // Plain lines and UPSTREAM / DOWNSTREAM bullets.
  (d) =>
    [
      `# ${d.id}: Work`,
      '',
      'Feature: F050 (RND-1)',
      `Status: ${d.status}`,
      '',
      '## Context',
      '',
      ...(d.dependsOn.length > 0 ? ['**UPSTREAM:**', ...bullets(d.dependsOn, true), ''] : []),
      ...(d.blocks.length > 0 ? ['**DOWNSTREAM:**', ...bullets(d.blocks, true)] : []),
    ].join('\n'),
  // Bold header and a **Depends on** line.
  (d) =>
    [
      `# ${d.id}: Work`,
      '',
      `**Status:** ${d.status}`,
      '',
      '## Plan',
      '',
      ...(d.dependsOn.length > 0 ? [`**Depends on**: ${d.dependsOn.join(', ')}`] : []),
      ...(d.blocks.length > 0 ? [`**Blocks**: ${d.blocks.join(' and ')}`] : []),
    ].join('\n'),
];

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('workstreams written in a random mix of the formats', () => {
  it('parse to the same graph, whichever format and whichever end of each edge declares it', async () => {
    const scenario = arbitraryDag(10)
      .filter((graph) => graph.nodes.length > 0)
      .chain((graph) => {
        const edges = graph.nodes.flatMap((node) => [...new Set(node.dependsOn)].map((dependency) => [node.id, dependency] as const));
        return fc.record({
          graph: fc.constant(graph),
          formats: fc.array(fc.nat({ max: writers.length - 1 }), { minLength: graph.nodes.length, maxLength: graph.nodes.length }),
          done: fc.array(fc.boolean(), { minLength: graph.nodes.length, maxLength: graph.nodes.length }),
          statusPick: fc.array(fc.nat({ max: 20 }), { minLength: graph.nodes.length, maxLength: graph.nodes.length }),
          // For each edge: declared by the dependent (depends on) or by the dependency (blocks / DOWNSTREAM).
          reversed: fc.array(fc.boolean(), { minLength: edges.length, maxLength: edges.length }),
          edges: fc.constant(edges),
        });
      });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ graph, formats, done, statusPick, reversed, edges }) => {
        const declarations = new Map<string, Declaration>(
          graph.nodes.map((node, i) => {
            const words = done[i] === true ? DONE : NOT_DONE;
            return [
              node.id,
              { id: idOf(node.id), status: words[(statusPick[i] ?? 0) % words.length] ?? 'done', dependsOn: [], blocks: [] },
            ];
          }),
        );
        edges.forEach(([dependent, dependency], i) => {
          if (reversed[i] === true) declarations.get(dependency)?.blocks.push(idOf(dependent));
          else declarations.get(dependent)?.dependsOn.push(idOf(dependency));
        });
        const dir = await mkdtemp(path.join(tmpdir(), 'sdp-mixed-'));
        dirs.push(dir);
        await mkdir(path.join(dir, 'nested'));
        await Promise.all(
          graph.nodes.map((node, i) => {
            const declaration = declarations.get(node.id);
            const write = writers[formats[i] ?? 0];
            if (declaration === undefined || write === undefined) throw new Error('unreachable');
            return writeFile(path.join(dir, i % 2 === 0 ? '' : 'nested', `${declaration.id}-work.md`), `${write(declaration)}\n`);
          }),
        );

        const loaded = await loadWorkstreams(dir);
        const actual = new Map(loaded.nodes.map((node) => [node.id, { dependsOn: [...node.dependsOn].sort(), done: node.done }]));
        const expected = new Map(
          graph.nodes.map((node, i) => [
            idOf(node.id),
            { dependsOn: [...new Set(node.dependsOn)].map(idOf).sort(), done: done[i] === true },
          ]),
        );
        expect(actual).toEqual(expected);
        expect(loaded.featureId).toBe('F050');
        expect(loaded.warnings).toEqual([]);
        expect(loaded.skippedFiles).toEqual([]);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
