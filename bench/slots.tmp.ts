import { DependencyGraph } from '@sdp/graph';
import { CircuitBreaker } from '@sdp/circuit-breaker';
import { benchDag } from './dag.js';
const dag = benchDag(20000, 42);
const mode = process.argv[2] ?? 'task';
const index = new Map(dag.ids.map((id, i) => [id, i]));
const graph = DependencyGraph.fromNodes(dag.ids.map((id, i) => ({ id, dependsOn: dag.deps[i]!.map((d) => dag.ids[d]!) })));
const t1 = performance.now();
const ready = graph.readySet();
const breaker = new CircuitBreaker();
const exec = (i: number) => Promise.resolve(i);
const attempts = new Int32Array(20000);
let inFlight = 0;
if (mode === 'task') {
  await new Promise<void>((resolve) => {
    const startReady = () => {
      while (inFlight < 16 && ready.readyCount > 0) { const id = ready.take()!; inFlight++; void live(id); }
      if (inFlight === 0) resolve();
    };
    const live = async (id: string) => {
      try {
        for (;;) {
          const node = graph.indexOf(id);
          attempts[node]++;
          await breaker.execute(() => exec(index.get(id)!));
          ready.complete(id);
          return;
        }
      } finally { inFlight--; startReady(); }
    };
    startReady();
  });
} else {
  let parked: (() => void)[] = [];
  let running = 0;
  const wakeAll = () => { const p = parked; parked = []; for (const w of p) w(); };
  const slot = async () => {
    for (;;) {
      const id = ready.take();
      if (id === undefined) {
        if (running === 0) { wakeAll(); return; }
        await new Promise<void>((r) => parked.push(r));
        continue;
      }
      running++;
      try {
        const node = graph.indexOf(id);
        attempts[node]++;
        await breaker.execute(() => exec(index.get(id)!));
        ready.complete(id);
      } finally { running--; }
      if (ready.readyCount > 0 && parked.length > 0) wakeAll();
    }
  };
  await Promise.all(Array.from({ length: 16 }, slot));
}
const t2 = performance.now();
console.log(mode, ((t2 - t1) * 1000 / 20000).toFixed(2));
