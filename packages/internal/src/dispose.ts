/** Returned by every `onXxx(listener)`: removes that registration; calling it again does nothing. */
export type Dispose = () => void;
