import { describe, expect, it } from 'vitest';
import { readCampaign } from './campaign.ts';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl';

describe('readCampaign', () => {
  it("redacts addresses and JWTs in the snippet's utm object", () => {
    const c = readCampaign(undefined, {
      source: 'newsletter',
      medium: 'email',
      campaign: `welcome ${JWT}`,
      term: 'jane@example.com',
      content: 'hi Jane.Doe%40example.org', // matched decoded: an escape hides no address
    });
    expect(c).toMatchObject({
      source: 'newsletter',
      medium: 'email',
      campaign: '[redacted]',
      term: '[redacted]',
    });
    expect(c.content).toBe('[redacted]');
  });

  it("redacts them in the URL's own utm_* parameters", () => {
    const url = new URL(
      'https://a.example/?utm_source=mail&utm_term=jane%40example.com&utm_content=bob@example.org&utm_medium=email',
    );
    expect(readCampaign(url.searchParams, undefined)).toEqual({
      source: 'mail',
      medium: 'email',
      campaign: '',
      term: '[redacted]',
      content: '[redacted]',
      click_id: '',
    });
  });

  it('keeps ordinary values', () => {
    const c = readCampaign(undefined, { source: 'google', term: 'red shoes @ 20% off', content: 'v2.1' });
    expect(c).toMatchObject({ source: 'google', term: 'red shoes @ 20% off', content: 'v2.1' });
  });
});
