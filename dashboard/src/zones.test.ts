import { expect, it } from 'vitest';
import { allZones, matchZone } from './zones.ts';

const zones = allZones();

it('takes a zone in any case as the zone it names', () => {
  expect(matchZone('Europe/Berlin', zones)).toEqual({ kind: 'zone', zone: 'Europe/Berlin' });
  expect(matchZone('europe/berlin', zones)).toEqual({ kind: 'zone', zone: 'Europe/Berlin' });
  expect(matchZone(' utc ', zones)).toEqual({ kind: 'zone', zone: 'UTC' });
});

it('offers the zone of a city typed alone, whatever its case and spaces', () => {
  expect(matchZone('Berlin', zones)).toEqual({ kind: 'suggest', zones: ['Europe/Berlin'] });
  expect(matchZone('berlin', zones)).toEqual({ kind: 'suggest', zones: ['Europe/Berlin'] });
  expect(matchZone('new york', zones)).toEqual({ kind: 'suggest', zones: ['America/New_York'] });
  expect(matchZone('Los-Angeles', zones)).toEqual({ kind: 'suggest', zones: ['America/Los_Angeles'] });
  // The start of a city name, from three letters.
  expect(matchZone('Auckl', zones)).toEqual({ kind: 'suggest', zones: ['Pacific/Auckland'] });
});

it('offers nothing for text that is no zone and no city', () => {
  expect(matchZone('Atlantis', zones)).toEqual({ kind: 'none' });
  expect(matchZone('Be', zones)).toEqual({ kind: 'none' });
  expect(matchZone('', zones)).toEqual({ kind: 'none' });
});
