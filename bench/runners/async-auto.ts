import asyncLib from 'async';
import type { Runner } from './runner.js';

/** async's `auto`: each task lists its dependencies, then the function. */
export const asyncAuto: Runner = (dag, concurrency, exec) => {
  const tasks: Record<string, unknown> = {};
  dag.ids.forEach((id, i) => {
    tasks[id] = [...dag.deps[i]!.map((d) => dag.ids[d]!), async () => exec(i)];
  });
  return async () => {
    await asyncLib.auto(tasks as never, concurrency);
  };
};
