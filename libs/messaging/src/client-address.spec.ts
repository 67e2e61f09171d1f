import { AddressList } from '@switchboard/platform';
import { ClientAddresses } from './client-address';

describe('ClientAddresses', () => {
  const addresses = new ClientAddresses(AddressList.parse('127.0.0.1,::1,10.0.0.0/24'));

  it.each<[string, string, string | string[] | undefined, string]>([
    ['a direct client: the peer, whatever it writes', '203.0.113.5', '198.51.100.1', '203.0.113.5'],
    ['behind HAProxy (one hop it set)', '127.0.0.1', '203.0.113.5', '203.0.113.5'],
    ['a forged first hop behind an appending proxy', '127.0.0.1', '198.51.100.1, 203.0.113.5', '203.0.113.5'],
    ['two trusted proxies', '127.0.0.1', '198.51.100.1, 203.0.113.5, 10.0.0.7', '203.0.113.5'],
    ['repeated headers', '127.0.0.1', ['198.51.100.1', '203.0.113.5'], '203.0.113.5'],
    ['an IPv4-mapped peer and hop', '::ffff:127.0.0.1', '::ffff:203.0.113.5', '203.0.113.5'],
    ['a trusted proxy without the header', '127.0.0.1', undefined, '127.0.0.1'],
    ['a hop that is not an address: the last one that is', '127.0.0.1', '203.0.113.5, garbage', '127.0.0.1'],
    ['only trusted hops: the first of them', '127.0.0.1', '10.0.0.9, 10.0.0.8', '10.0.0.9'],
  ])('%s', (_name, peer, header, expected) => {
    expect(addresses.resolve(peer.replace(/^::ffff:/, ''), header)).toBe(expected);
  });

  it('reads SWITCHBOARD_TRUSTED_PROXIES and names it when it is wrong', () => {
    const none = ClientAddresses.fromEnvironment({ SWITCHBOARD_TRUSTED_PROXIES: '192.0.2.1' });
    expect(none.resolve('127.0.0.1', '203.0.113.5')).toBe('127.0.0.1');
    expect(() => ClientAddresses.fromEnvironment({ SWITCHBOARD_TRUSTED_PROXIES: 'proxy' })).toThrow(
      'SWITCHBOARD_TRUSTED_PROXIES',
    );
  });
});
