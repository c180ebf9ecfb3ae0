// Test helpers shared by the packages' tests, benchmarks and the crash suite.
export { arbitraryDag, arbitraryGraph, reachable, type GraphNode, type RandomGraph } from './arbitrary-dag.js';
export { deferred, rejectionOf, type Deferred } from './deferred.js';
export { ManualClock, settle } from './manual-clock.js';
export { randomDag, type RandomDagNode, type RandomDagOptions } from './random-dag.js';
export { SeededRandom, hashSeed } from './seeded-random.js';
