/** The three states of a breaker. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** The numbers the seed's Go implementation (and our snapshots) use for the states. */
export type CircuitStateCode = 0 | 1 | 2;

export const CLOSED = 0;
export const OPEN = 1;
export const HALF_OPEN = 2;

const STATE_NAMES = ['closed', 'open', 'half-open'] as const;

export function stateName(code: CircuitStateCode): CircuitState {
  return STATE_NAMES[code];
}

export function stateCode(name: CircuitState): CircuitStateCode {
  return name === 'closed' ? CLOSED : name === 'open' ? OPEN : HALF_OPEN;
}
