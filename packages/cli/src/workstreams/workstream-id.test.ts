import { describe, expect, it } from 'vitest';
import { compareWorkstreamIds, featureDigitsOfWorkstreamId, isWorkstreamId } from './workstream-id.js';

describe('workstream ids', () => {
  it.each(['00-052-14', '01-060-01', '00-1052-140', '123-4567-89'])('accepts %j', (id) => {
    expect(isWorkstreamId(id)).toBe(true);
  });

  it.each(['', '00-52-14', '0-052-14', '00-052-1', 'WS-052-14', '00-052-14-a', ' 00-052-14', '00_052_14', 'F052-14'])(
    'refuses %j',
    (id) => {
      expect(isWorkstreamId(id)).toBe(false);
    },
  );

  it('extracts the feature digits as written', () => {
    expect(featureDigitsOfWorkstreamId('00-052-14')).toBe('052');
    expect(featureDigitsOfWorkstreamId('WS-052-14')).toBeUndefined();
  });

  it('orders by project, feature and sequence as numbers', () => {
    const ids = ['00-060-100', '01-001-01', '00-060-02', '00-1000-01', '00-060-10', '00-052-99'];
    expect(ids.sort(compareWorkstreamIds)).toEqual(['00-052-99', '00-060-02', '00-060-10', '00-060-100', '00-1000-01', '01-001-01']);
  });
});
