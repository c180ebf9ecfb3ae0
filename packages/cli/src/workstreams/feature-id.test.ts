import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalFeatureId, compareFeatureIds, featureIdOfWorkstreamId } from './feature-id.js';

describe('canonicalFeatureId', () => {
  it.each([
    ['F052', 'F052'],
    ['f052', 'F052'],
    ['052', 'F052'],
    ['52', 'F052'],
    ['F52', 'F052'],
    [' F052 ', 'F052'],
    ['F0052', 'F052'],
    ['7', 'F007'],
    ['F1234', 'F1234'],
  ])('reads %j as %s', (text, canonical) => {
    expect(canonicalFeatureId(text)).toBe(canonical);
  });

  it.each(['', 'F', 'F-052', 'feature 52', 'auth', '0x52', '5.2', 'FF052', '1234567890'])('refuses %j', (text) => {
    expect(canonicalFeatureId(text)).toBeUndefined();
  });

  it('gives the same id for every spelling of the same number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.nat({ max: 3 }), fc.constantFrom('', 'F', 'f'), (feature, zeros, prefix) => {
        expect(canonicalFeatureId(`${prefix}${'0'.repeat(zeros)}${feature}`)).toBe(canonicalFeatureId(String(feature)));
      }),
    );
  });
});

describe('featureIdOfWorkstreamId', () => {
  it('takes the middle part of the id', () => {
    expect(featureIdOfWorkstreamId('00-052-14')).toBe('F052');
    expect(featureIdOfWorkstreamId('01-1052-14')).toBe('F1052');
    expect(featureIdOfWorkstreamId('not-an-id')).toBeUndefined();
  });
});

describe('compareFeatureIds', () => {
  it('orders by number, not by text', () => {
    expect(['F1000', 'F060', 'F052'].sort(compareFeatureIds)).toEqual(['F052', 'F060', 'F1000']);
  });
});
