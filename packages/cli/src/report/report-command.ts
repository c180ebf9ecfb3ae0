import { readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { hasErrorCode } from '@sdp/internal';
import { loadFeature } from '../load-feature.js';
import type { Output } from '../reporter.js';
import { stateRootOf, statePathsOf } from '../state-dir.js';
import { canonicalFeatureId } from '../workstreams/feature-id.js';
import { renderHtml } from './render-html.js';
import { renderText } from './render-text.js';
import { renderTrace } from './render-trace.js';
import type { StoredRunRecord } from './run-record.js';
import { RunRecordError, RunStore } from './run-store.js';

export type ReportFormat = 'text' | 'json' | 'html' | 'trace';
export const reportFormats: readonly ReportFormat[] = ['text', 'json', 'html', 'trace'];

export interface ReportArgs {
  /** The workstream folder; without it the state of the working directory's repository is read. */
  readonly dir?: string;
  readonly feature?: string;
  /** `latest` or a run id. */
  readonly run: string;
  readonly format: ReportFormat;
  /** Write here instead of stdout. */
  readonly output?: string;
  readonly verbose: boolean;
}

/** `sdp-dispatch report`: a finished or stopped run as text, JSON, a self-contained html timeline, or a Chrome trace. */
export async function reportCommand(args: ReportArgs, out: Output): Promise<number> {
  const record = await findRecord(args);
  const text = renderRecord(record, args.format);
  if (args.output === undefined) {
    out.write(text);
  } else {
    await writeFile(resolve(args.output), text);
    out.write(`Wrote the ${args.format} report of run ${record.runId} (feature ${record.featureId}) to ${args.output}\n`);
  }
  return 0;
}

export function renderRecord(record: StoredRunRecord, format: ReportFormat): string {
  switch (format) {
    case 'text':
      return renderText(record);
    case 'json':
      return `${JSON.stringify(record, null, 2)}\n`;
    case 'html':
      return renderHtml(record);
    case 'trace':
      return `${JSON.stringify(renderTrace(record))}\n`;
  }
}

async function findRecord(args: ReportArgs): Promise<StoredRunRecord> {
  const root = stateRootOf(args.dir ?? '.');
  const featureId = await featureOf(args, root);
  const store = new RunStore(statePathsOf(root, featureId).runsDir);
  if (args.run !== 'latest') return store.read(args.run);
  const latest = await store.latest();
  if (latest === undefined)
    throw new RunRecordError(
      'CLI_RUN_NOT_FOUND',
      `no run records of feature ${featureId} in ${store.dir} (no run has started work yet)`,
      store.dir,
    );
  return latest;
}

/** The feature: from the workstream folder when given, else the one feature (or the --feature) with records. */
async function featureOf(args: ReportArgs, root: string): Promise<string> {
  if (args.dir !== undefined) {
    const { loaded } = await loadFeature({
      dir: args.dir,
      checkpointDir: '',
      stateRoot: root,
      exclude: [],
      json: false,
      verbose: args.verbose,
      ...(args.feature === undefined ? {} : { feature: args.feature }),
    });
    return loaded.featureId;
  }
  const runsRoot = join(root, '.sdp', 'runs');
  let features: string[];
  try {
    features = (await readdir(runsRoot, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if (!hasErrorCode(error, undefined, new Set(['ENOENT']))) throw error;
    features = [];
  }
  if (args.feature !== undefined) {
    const wanted = canonicalFeatureId(args.feature) ?? args.feature;
    const match = features.find((feature) => feature === wanted);
    if (match === undefined)
      throw new RunRecordError(
        'CLI_RUN_NOT_FOUND',
        `no run records of feature ${wanted} in ${runsRoot}${features.length > 0 ? ` (features with records: ${features.join(', ')})` : ''}`,
        runsRoot,
      );
    return match;
  }
  const [only, ...more] = features;
  if (only === undefined)
    throw new RunRecordError('CLI_RUN_NOT_FOUND', `no run records in ${runsRoot} (no run has started work here yet)`, runsRoot);
  if (more.length > 0)
    throw new RunRecordError(
      'CLI_RUN_NOT_FOUND',
      `${runsRoot} holds runs of several features (${features.join(', ')}): choose one with --feature`,
      runsRoot,
    );
  return only;
}
