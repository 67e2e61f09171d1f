import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Every port the topology uses must appear in docs/operations.md's firewall section, so that a
// sysadmin who follows it opens each one; production ports also need a firewalld and an nftables rule.
const ROOT = resolve(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function firewallSection(): string {
  const guide = read('docs/operations.md');
  const start = guide.indexOf('## 8. Firewall');
  expect(start).toBeGreaterThanOrEqual(0);
  return guide.slice(start, guide.indexOf('\n## ', start + 1));
}

/** True when `text` names `port` alone or inside a range such as 5701-5801. */
function mentions(text: string, port: number): boolean {
  const ranges = [...text.matchAll(/\b(\d{2,5})\s*[-:]\s*(\d{2,5})\b/g)].map(([, low, high]) => [
    Number(low),
    Number(high),
  ]);
  return (
    new RegExp(`(?<![\\d.])${port}(?![\\d.])`).test(text) ||
    ranges.some(([low, high]) => low <= port && port <= high)
  );
}

/** The ports of the production topology: env examples (PORT, HZ_PORT, members, database), haproxy, services. */
function productionPorts(): Map<number, string> {
  const ports = new Map<number, string>();
  for (const file of readdirSync(join(ROOT, 'deploy/env'))) {
    const text = read(`deploy/env/${file}`);
    for (const [, port] of text.matchAll(/^(?:PORT|HZ_PORT)=(\d+)$/gm))
      ports.set(Number(port), `deploy/env/${file}`);
    for (const [, port] of text.matchAll(/^(?:SWITCHBOARD_HAZELCAST_MEMBERS|HZ_MEMBERS)=.*?:(\d+)/gm))
      ports.set(Number(port), `deploy/env/${file} (members)`);
    for (const [, port] of text.matchAll(/^SWITCHBOARD_DATABASE_URL=mysql:\/\/[^@]*@[^:/]+:(\d+)/gm))
      ports.set(Number(port), `deploy/env/${file} (database)`);
  }
  const topology = JSON.parse(read('haproxy/topology.example.json')) as { wsPort: number; wssPort: number };
  ports.set(topology.wsPort, 'haproxy/topology.example.json wsPort');
  ports.set(topology.wssPort, 'haproxy/topology.example.json wssPort');
  for (const app of readdirSync(join(ROOT, 'apps'))) {
    for (const file of readdirSync(join(ROOT, 'apps', app, 'src')).filter((name) =>
      name.endsWith('.module.ts'),
    )) {
      for (const [, port] of read(`apps/${app}/src/${file}`).matchAll(/defaultPort: (\d+)/g))
        ports.set(Number(port), `apps/${app}/src/${file}`);
    }
  }
  return ports;
}

/** Every other port the local topology uses: the haproxy example's servers and scripts/cluster.sh's defaults. */
function localPorts(): Map<number, string> {
  const ports = new Map<number, string>();
  const topology = JSON.parse(read('haproxy/topology.example.json')) as {
    clientMessengers: Array<{ address: string }>;
    whatsappConnectors: Array<{ address: string }>;
  };
  for (const server of [...topology.clientMessengers, ...topology.whatsappConnectors])
    ports.set(Number(server.address.split(':').at(-1)), `haproxy/topology.example.json ${server.address}`);
  for (const [, port] of read('scripts/cluster.sh').matchAll(/port_from_base \d+ (\d+)/g))
    ports.set(Number(port), 'scripts/cluster.sh');
  for (const [, port] of read('scripts/cluster.sh').matchAll(/mysql:\/\/[^@]*@[^:/]+:(\d+)/g))
    ports.set(Number(port), 'scripts/cluster.sh (database)');
  return ports;
}

it('finds the ports it checks (the sources still have the shape it reads)', () => {
  expect([...productionPorts().keys()].sort()).toEqual(
    expect.arrayContaining([3000, 3003, 3100, 3200, 3306, 5701, 8899]),
  );
  expect([...localPorts().keys()].sort()).toEqual(expect.arrayContaining([3001, 3002, 4010, 5702]));
});

it('names every port of the topology in the firewall section', () => {
  const section = firewallSection();
  const missing = [...productionPorts(), ...localPorts()].filter(([port]) => !mentions(section, port));
  expect(missing.map(([port, source]) => `${port} (from ${source})`)).toEqual([]);
});

it('gives every production port a firewalld and an nftables rule', () => {
  const section = firewallSection();
  const firewalld = section
    .split('\n')
    .filter((line) => line.startsWith('firewall-cmd') && /port/.test(line))
    .join('\n');
  const nftables = section
    .split('\n')
    .filter((line) => /^\s+.*tcp dport/.test(line))
    .join('\n');
  const missing = [...productionPorts()]
    .filter(([port]) => !mentions(firewalld, port) || !mentions(nftables, port))
    .map(([port, source]) => `${port} (from ${source})`);
  expect(missing).toEqual([]);
});
