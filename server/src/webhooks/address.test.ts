import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, refusedRange } from './address.ts';

describe('refused address ranges', () => {
  it.each([
    // IPv4, refused
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    // IPv6, refused
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::127.0.0.1', 'reserved'],
    ['::ffff:0:127.0.0.1', 'reserved'],
    ['::ffff:0:808:808', 'reserved'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    // Teredo 2001::/32: server 65.54.227.120, client 127.0.0.1 (inverted: 80ff:fffe), and others.
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'reserved'],
    ['2001::1', 'reserved'],
    ['2001:0:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
    ['[2001:0000:0a00:0001::]', 'reserved'],
    ['100::1', 'reserved'],
    ['2001:db8::1', 'documentation'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    // not an address at all
    ['localhost', 'reserved'],
    ['1.2.3', 'reserved'],
    ['', 'reserved'],
  ] as const)('%s is refused as %s', (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '[2606:4700:4700::1111]',
    '2001:4860:4860::8888',
    '::ffff:1.1.1.1',
    '::ffff:808:808',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2001:1::1', // just past Teredo
    '2000:ffff:ffff:ffff::1',
    'fbff:ffff::1',
    'fe7f::1',
  ])('%s is allowed', (address) => {
    expect(refusedRange(address)).toBeNull();
  });
});

describe('webhook URLs as written', () => {
  it.each([
    ['ftp://example.com/x', 'invalid_url'],
    ['file:///etc/passwd', 'invalid_url'],
    ['javascript:alert(1)', 'invalid_url'],
    ['gopher://example.com:70/', 'invalid_url'],
    ['nope', 'invalid_url'],
    ['https://user:pass@example.com/x', 'invalid_url'],
    ['https://user@example.com/x', 'invalid_url'],
    [`https://example.com/${'a'.repeat(2048)}`, 'invalid_url'],
    ['http://127.0.0.1:8080/x', 'refused_address'],
    ['http://2130706433/x', 'refused_address'], // 127.0.0.1 as one number
    ['http://0x7f.1/x', 'refused_address'],
    ['http://0177.0.0.1/x', 'refused_address'],
    ['http://10.0.0.1/x', 'refused_address'],
    ['http://169.254.169.254/latest/meta-data/', 'refused_address'],
    ['http://0.0.0.0/', 'refused_address'],
    ['http://[::1]:9/x', 'refused_address'],
    ['http://[::ffff:127.0.0.1]/x', 'refused_address'],
    ['http://[fe80::1]/x', 'refused_address'],
    ['http://[fd00::1]/x', 'refused_address'],
    ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x', 'refused_address'], // Teredo
    ['http://[2001::a9fe:a9fe]/x', 'refused_address'],
  ] as const)('%s is refused with %s', (url, code) => {
    expect(checkWebhookUrl(url, false)?.code).toBe(code);
  });

  it('accepts public hosts, names (checked at delivery) and, when allowed, private addresses', () => {
    expect(checkWebhookUrl('https://crm.example/hooks/funnelhouse', false)).toBeNull();
    expect(checkWebhookUrl('http://localhost:9/x', false)).toBeNull();
    expect(checkWebhookUrl('http://1.1.1.1/x', false)).toBeNull();
    expect(checkWebhookUrl('http://[2606:4700:4700::1111]/x', false)).toBeNull();
    expect(checkWebhookUrl('http://127.0.0.1:9/x', true)).toBeNull();
    expect(checkWebhookUrl('http://[::1]:9/x', true)).toBeNull();
    // The scheme and credential rules hold even with private addresses allowed.
    expect(checkWebhookUrl('https://u:p@10.0.0.1/x', true)?.code).toBe('invalid_url');
    expect(checkWebhookUrl('ftp://10.0.0.1/x', true)?.code).toBe('invalid_url');
  });
});
