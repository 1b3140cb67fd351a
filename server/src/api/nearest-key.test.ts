import { describe, expect, it } from 'vitest';
import { editDistance, nearestKey } from './nearest-key.ts';

const QUERY = ['from', 'to', 'range', 'tz', 'limit', 'breakdown', 'explain', 'window'];

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('range', 'range')).toBe(0);
    expect(editDistance('rnage', 'range')).toBe(1);
    expect(editDistance('windw', 'window')).toBe(1);
    expect(editDistance('windoww', 'window')).toBe(1);
    expect(editDistance('limot', 'limit')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('ca', 'abc')).toBe(3);
  });
});

describe('nearestKey', () => {
  it('suggests the key within two edits', () => {
    expect(nearestKey('rnage', QUERY)).toBe('range');
    expect(nearestKey('windw', QUERY)).toBe('window');
    expect(nearestKey('explian', QUERY)).toBe('explain');
    expect(nearestKey('form', QUERY)).toBe('from');
    expect(nearestKey('RANGE', QUERY)).toBe('range');
  });

  it('suggests a key the given one is a prefix of, or that is a prefix of it', () => {
    expect(nearestKey('break', QUERY)).toBe('breakdown');
    expect(nearestKey('breakdown_by', QUERY)).toBe('breakdown');
  });

  it('prefers the fewest edits', () => {
    expect(nearestKey('tz', ['to', 'tz'])).toBe('tz');
    expect(nearestKey('lmit', ['limit', 'lit'])).toBe('limit');
  });

  it('suggests nothing when no key is close', () => {
    expect(nearestKey('zzz', QUERY)).toBeUndefined();
    expect(nearestKey('x', QUERY)).toBeUndefined();
    expect(nearestKey('tx', QUERY)).toBe('to');
    expect(nearestKey('country', QUERY)).toBeUndefined();
    expect(nearestKey('rnage', [])).toBeUndefined();
  });
});
