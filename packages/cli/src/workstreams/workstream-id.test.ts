import { describe, expect, it } from 'vitest';
import { compareWorkstreamIds, featureDigitsOfWorkstreamId, isPlaceholderId, isWorkstreamId } from './workstream-id.js';
import { featureIdInText, featureIdOfWorkstreamId } from './feature-id.js';

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

  it('accepts fix ids of the form 99-F063-0001, belonging to the feature they name', () => {
    expect(isWorkstreamId('99-F063-0001')).toBe(true);
    expect(featureIdOfWorkstreamId('99-F063-0001')).toBe('F063');
    expect(['99-F63-0001', '99-F063-001', '9-F063-0001', '99-f063-0001'].map(isWorkstreamId)).toEqual([false, false, false, false]);
    expect(['00-063-02', '99-F063-0001', '00-063-10'].sort(compareWorkstreamIds)).toEqual(['00-063-02', '00-063-10', '99-F063-0001']);
  });

  it('recognises the placeholders of templates, never a real id', () => {
    expect(['PP-FFF-WW', 'XX-XXX-XX', '00-XXX-YY', '00-FFF-01', '{ws_id}', '{{ ws_id }}', '<ws-id>'].map(isPlaceholderId)).toEqual(
      Array(7).fill(true),
    );
    expect(['00-052-14', '99-F052-0001', 'WS-052-14', 'auth-api', ''].map(isPlaceholderId)).toEqual(Array(5).fill(false));
  });

  it('reads the feature at the start of a field with a name or a note after it', () => {
    expect(['F053 - Distributed runs', 'F028 (TRACK-41)', '**F041**', '052', 'Feature 7'].map(featureIdInText)).toEqual([
      'F053',
      'F028',
      'F041',
      'F052',
      'F007',
    ]);
    expect(['Notifications', 'F05x', ''].map(featureIdInText)).toEqual([undefined, undefined, undefined]);
  });
});
