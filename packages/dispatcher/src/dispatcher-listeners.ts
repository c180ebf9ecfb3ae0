import { Listeners } from '@sdp/internal';
import type { RunHooks } from './dispatch-run.js';
import type {
  AbandonEvent,
  BreakerStateChangeEvent,
  CheckpointEvent,
  CompleteEvent,
  FailureEvent,
  InDoubtResult,
  SkipEvent,
  StartEvent,
} from './events.js';

/** The listeners of one dispatcher, one set per event. */
export function dispatcherListeners() {
  return {
    start: new Listeners<StartEvent>('Dispatcher'),
    complete: new Listeners<CompleteEvent>('Dispatcher'),
    failure: new Listeners<FailureEvent>('Dispatcher'),
    skip: new Listeners<SkipEvent>('Dispatcher'),
    abandon: new Listeners<AbandonEvent>('Dispatcher'),
    inDoubt: new Listeners<InDoubtResult>('Dispatcher'),
    checkpoint: new Listeners<CheckpointEvent>('Dispatcher'),
    breakerStateChange: new Listeners<BreakerStateChangeEvent>('Dispatcher'),
  };
}

export type DispatcherListeners = ReturnType<typeof dispatcherListeners>;

/** What a run announces, turned into the dispatcher's events (and a save request on progress). */
export function runHooks(on: DispatcherListeners, save: (() => void) | undefined): RunHooks {
  return {
    onStart: (id, attempt, startedAt, rerunAfterCrash) => {
      if (on.start.size > 0) on.start.emit({ id, attempt, startedAt: new Date(startedAt), rerunAfterCrash });
    },
    onComplete: (id, attempt, durationMs) => {
      if (on.complete.size > 0) on.complete.emit({ id, attempt, durationMs });
    },
    onFailure: (event) => {
      on.failure.emit(event);
    },
    onSkip: (event) => {
      on.skip.emit(event);
    },
    onAbandon: (event) => {
      on.abandon.emit(event);
    },
    onProgress: save ?? (() => undefined),
  };
}
