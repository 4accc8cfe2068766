import { describe, expect, it } from 'vitest';
import { feedAddressProblem, isPrivateAddress } from './feed-address.ts';

describe('which addresses a feed may be harvested from', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.127.255.254',
    '::1', '::', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'febf::1',
  ])('refuses %s', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2a00:1450:4009::200e', '::ffff:8.8.8.8'])('allows %s', (address) => expect(isPrivateAddress(address)).toBe(false));

  it('checks the host of a URL, unless private feeds are allowed', async () => {
    expect(await feedAddressProblem(new URL('http://127.0.0.1:8080/oruk'), false)).toMatch(/loopback, private or link-local.*HARVEST_ALLOW_PRIVATE=true/);
    expect(await feedAddressProblem(new URL('http://[::ffff:127.0.0.1]/oruk'), false)).toMatch(/loopback/);
    expect(await feedAddressProblem(new URL('http://localhost/oruk'), false)).toMatch(/loopback/);
    expect(await feedAddressProblem(new URL('http://127.0.0.1/oruk'), true)).toBeNull();
    expect(await feedAddressProblem(new URL('http://8.8.8.8/oruk'), false)).toBeNull();
    expect(await feedAddressProblem(new URL('file:///etc/passwd'), true)).toMatch(/not an http/);
  });
});
