import type { Runner } from './runner.js';

/** Tiny FIFO greedy baseline: a task joins the back of the queue when its last dependency finishes. */
export const fifo: Runner = (dag, concurrency, exec) => {
  const n = dag.ids.length;
  const waiting = dag.deps.map((ds) => ds.length);
  const dependents: number[][] = dag.ids.map(() => []);
  dag.deps.forEach((ds, i) => {
    for (const d of ds) dependents[d]!.push(i);
  });
  return () =>
    new Promise<void>((resolve, reject) => {
      const queue: number[] = [];
      for (let i = 0; i < n; i++) if (waiting[i] === 0) queue.push(i);
      let head = 0;
      let running = 0;
      let done = 0;
      const pump = (): void => {
        while (running < concurrency && head < queue.length) {
          const i = queue[head++]!;
          running++;
          exec(i).then(() => {
            running--;
            done++;
            for (const j of dependents[i]!) {
              const left = waiting[j]! - 1;
              waiting[j] = left;
              if (left === 0) queue.push(j);
            }
            if (done === n) resolve();
            else pump();
          }, reject);
        }
      };
      if (n === 0) resolve();
      else pump();
    });
};
