import { parseCommandLine } from './generate-haproxy-config';

const topologyFile = JSON.stringify({
  clientMessengers: ['10.0.0.21:3000'],
  whatsappConnectors: ['10.0.0.31:3200'],
  certificate: '/etc/haproxy/haproxy.pem',
  statsSocket: '/run/haproxy/admin.sock',
  wsPort: 3000,
});

describe('parseCommandLine', () => {
  it('reads the topology file and names it, relative to the working directory', () => {
    const request = parseCommandLine(['--topology', 'haproxy/topology.json'], () => topologyFile);
    expect(request.topology).toEqual(JSON.parse(topologyFile));
    expect(request.generatedFrom).toBe('haproxy/topology.json');
    expect(request.out).toBeUndefined();
  });

  it('lets flags override the file, servers given as [name=]host:port', () => {
    const request = parseCommandLine(
      [
        '--topology',
        't.json',
        '--client-messenger',
        'chat-a=10.0.0.41:3000',
        '--client-messenger',
        '10.0.0.42:3000',
        '--ws-port',
        '4000',
        '--log',
        'stdout',
        '--out',
        'haproxy.cfg',
      ],
      () => topologyFile,
    );
    expect(request.topology).toMatchObject({
      clientMessengers: [{ name: 'chat-a', address: '10.0.0.41:3000' }, '10.0.0.42:3000'],
      whatsappConnectors: ['10.0.0.31:3200'],
      wsPort: 4000,
      log: 'stdout',
    });
    expect(request.out).toBe('haproxy.cfg');
  });

  it('works from flags alone, without a file', () => {
    const read = jest.fn<string, [string]>();
    const request = parseCommandLine(['--whatsapp-connector', 'a:1', '--maxconn', '100'], read);
    expect(read).not.toHaveBeenCalled();
    expect(request.topology).toEqual({ whatsappConnectors: ['a:1'], maxconn: 100 });
    expect(request.generatedFrom).toBeUndefined();
  });

  it('recognises --help', () => {
    expect(parseCommandLine(['--help'], () => '{}').help).toBe(true);
  });

  it('rejects an unknown option', () => {
    expect(() => parseCommandLine(['--wss', '1'], () => '{}')).toThrow(/--wss/);
  });
});
