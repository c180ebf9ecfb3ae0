// Engine trick, kept because a 20k-node drain after a full GC cost about 1.7x without it (the shape-keeper line in dependency-graph.ts).
/**
 * Objects kept alive as long as this module, for their hidden shapes. The engine keeps an object
 * shape, and the optimised code built for it, only while some object has that shape: when a full
 * garbage collection finds none, the code is thrown away and the next object of the same class
 * pays for optimising it again. One small instance kept here keeps the shape for all of them.
 */
const kept: object[] = [];

export function keepShapeOf(value: object): void {
  kept.push(value);
}
