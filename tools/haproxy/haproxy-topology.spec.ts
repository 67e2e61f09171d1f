import { parseTopology, TopologyError } from './haproxy-topology';

const minimal = {
  clientMessengers: ['10.0.0.21:3000'],
  whatsappConnectors: ['10.0.0.31:3200'],
  certificate: '/etc/haproxy/haproxy.pem',
  statsSocket: '/run/haproxy/admin.sock',
};

function problemsOf(input: unknown): readonly string[] {
  try {
    parseTopology(input);
  } catch (error) {
    if (error instanceof TopologyError) return error.problems;
    throw error;
  }
  throw new Error('expected a TopologyError');
}

describe('parseTopology', () => {
  it('applies the defaults: ws 3000, wss 3003, all interfaces, /health, /health/ready, X-Served-By', () => {
    expect(parseTopology(minimal)).toMatchObject({
      wsPort: 3000,
      wssPort: 3003,
      bindAddress: '',
      healthCheckPath: '/health',
      readinessCheckPath: '/health/ready',
      servedByHeader: true,
    });
  });

  it('names servers given as host:port after their service and position', () => {
    const topology = parseTopology({
      ...minimal,
      clientMessengers: ['chat-a.internal:3000', '10.0.0.22:3000'],
    });
    expect(topology.clientMessengers).toEqual([
      { name: 'client-messenger-1', address: 'chat-a.internal:3000' },
      { name: 'client-messenger-2', address: '10.0.0.22:3000' },
    ]);
    expect(topology.whatsappConnectors).toEqual([
      { name: 'whatsapp-connector-1', address: '10.0.0.31:3200' },
    ]);
  });

  it('keeps the names given with the address', () => {
    const topology = parseTopology({ ...minimal, clientMessengers: [{ name: 'chat1', address: 'a:1' }] });
    expect(topology.clientMessengers).toEqual([{ name: 'chat1', address: 'a:1' }]);
  });

  it('reports every problem at once, each with its field', () => {
    const problems = problemsOf({
      ...minimal,
      clientMessengers: ['no-port'],
      wsPort: 70000,
      certificate: 'a b',
    });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/clientMessengers\.0: must be host:port/);
    expect(problems.join('\n')).toMatch(/wsPort:/);
    expect(problems.join('\n')).toMatch(/certificate: must not contain whitespace/);
  });

  it('needs at least one node of each service', () => {
    expect(problemsOf({ ...minimal, whatsappConnectors: [] }).join()).toMatch(/whatsappConnectors/);
  });

  it('refuses a server name used twice (it is also the stickiness cookie)', () => {
    const twice = { name: 'node', address: 'a:1' };
    expect(problemsOf({ ...minimal, clientMessengers: [twice], whatsappConnectors: [twice] })).toEqual([
      'server name "node" is used twice',
    ]);
  });

  it('refuses the same port for ws and wss', () => {
    expect(problemsOf({ ...minimal, wsPort: 3003 })).toEqual(['wsPort and wssPort are both 3003']);
    expect(problemsOf({ ...minimal, internalPort: 3000 })).toEqual([
      "internalPort 3000 is also a public frontend's port",
    ]);
  });

  it('refuses unknown fields, so a typo does not silently fall back to a default', () => {
    expect(problemsOf({ ...minimal, wssport: 4443 }).join()).toMatch(/wssport/);
  });
});
