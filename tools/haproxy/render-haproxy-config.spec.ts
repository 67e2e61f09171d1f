import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTopology, type TopologyFile } from './haproxy-topology';
import { renderHaproxyConfig } from './render-haproxy-config';

const ROOT_DIR = join(__dirname, '..', '..');

function render(overrides: Partial<TopologyFile> = {}): string {
  return renderHaproxyConfig(
    parseTopology({
      clientMessengers: ['127.0.0.1:3001', '127.0.0.1:3002'],
      whatsappConnectors: ['127.0.0.1:3200'],
      certificate: '/etc/haproxy/haproxy.pem',
      statsSocket: '/run/haproxy/admin.sock',
      ...overrides,
    }),
  );
}

/** The indented lines of one section, e.g. `backend client_messenger`. */
function sectionOf(config: string, title: string): string[] {
  const sections = config.split('\n\n').map((block) => block.split('\n'));
  const found = sections.find((lines) => lines[0] === title);
  if (!found) throw new Error(`no section "${title}" in:\n${config}`);
  return found.slice(1).map((line) => line.trim());
}

describe('renderHaproxyConfig', () => {
  it('binds ws on 3000 and wss on 3003 with the certificate, on every interface by default', () => {
    const config = render();
    expect(sectionOf(config, 'frontend ws')).toContain('bind :3000');
    expect(sectionOf(config, 'frontend wss')).toContain('bind :3003 ssl crt /etc/haproxy/haproxy.pem');
  });

  it('binds the given ports and interface', () => {
    const config = render({ wsPort: 4000, wssPort: 4443, bindAddress: '127.0.0.1' });
    expect(sectionOf(config, 'frontend ws')).toContain('bind 127.0.0.1:4000');
    expect(sectionOf(config, 'frontend wss')).toContain(
      'bind 127.0.0.1:4443 ssl crt /etc/haproxy/haproxy.pem',
    );
  });

  it.each(['frontend ws', 'frontend wss'])(
    '%s sends /incoming, /delivery (also /incoming/<secret>) and /whatsapp/ (media) to the whatsapp connectors',
    (title) => {
      const frontend = sectionOf(render(), title);
      expect(frontend).toEqual(
        expect.arrayContaining([
          'acl whatsapp_webhook path /incoming',
          'acl whatsapp_webhook path /delivery',
          'acl whatsapp_webhook path_beg /incoming/',
          'acl whatsapp_webhook path_beg /delivery/',
          'acl whatsapp_media path_beg /whatsapp/',
          'use_backend whatsapp_connector if whatsapp_webhook || whatsapp_media',
          'default_backend client_messenger',
        ]),
      );
    },
  );

  it('tells the services which scheme the visitor used, and its address as HAProxy saw it', () => {
    const config = render();
    expect(sectionOf(config, 'frontend ws')).toContain('http-request set-header X-Forwarded-Proto http');
    expect(sectionOf(config, 'frontend wss')).toContain('http-request set-header X-Forwarded-Proto https');
    // Replaced, never appended to what the client wrote.
    for (const name of ['frontend ws', 'frontend wss'])
      expect(sectionOf(config, name)).toContain('http-request set-header X-Forwarded-For %[src]');
    expect(config).not.toContain('option forwardfor');
  });

  it('balances the chat nodes by least connections, sticky by a SERVERID cookie per server', () => {
    const backend = sectionOf(render(), 'backend client_messenger');
    expect(backend).toEqual(
      expect.arrayContaining([
        'balance leastconn',
        'cookie SERVERID insert indirect nocache',
        'server client-messenger-1 127.0.0.1:3001 check cookie client-messenger-1',
        'server client-messenger-2 127.0.0.1:3002 check cookie client-messenger-2',
      ]),
    );
  });

  it('lists the whatsapp connectors without stickiness', () => {
    const backend = sectionOf(render(), 'backend whatsapp_connector');
    expect(backend).toContain('server whatsapp-connector-1 127.0.0.1:3200 check');
    expect(backend.join('\n')).not.toMatch(/cookie/);
  });

  it.each([
    ['backend client_messenger', '/health/ready'],
    ['backend whatsapp_connector', '/health'],
  ])('%s checks %s, tolerates unresolvable names and cuts sessions of a dead node', (title, path) => {
    const backend = sectionOf(render(), title);
    expect(backend).toEqual(
      expect.arrayContaining([
        'option httpchk',
        `http-check send meth GET uri ${path}`,
        'http-check expect status 200',
        'default-server init-addr last,libc,none inter 2s fall 2 rise 2 on-marked-down shutdown-sessions',
      ]),
    );
    expect(backend.join('\n')).not.toMatch(/uri \/socket\.io/);
  });

  it('checks other routes when asked', () => {
    const rendered = render({ healthCheckPath: '/alive', readinessCheckPath: '/ready' });
    expect(sectionOf(rendered, 'backend client_messenger')).toContain('http-check send meth GET uri /ready');
    expect(sectionOf(rendered, 'backend whatsapp_connector')).toContain(
      'http-check send meth GET uri /alive',
    );
  });

  it('names the answering server in X-Served-By unless switched off', () => {
    const header = 'http-response set-header X-Served-By %s';
    expect(sectionOf(render(), 'backend client_messenger')).toContain(header);
    expect(render({ servedByHeader: false })).not.toContain('X-Served-By');
  });

  it('keeps websockets and idle visitors for a day, with bounded request and close timeouts', () => {
    expect(sectionOf(render(), 'defaults')).toEqual(
      expect.arrayContaining([
        'mode http',
        'timeout tunnel 1d',
        'timeout client 1d',
        'timeout client-fin 30s',
        'timeout http-request 10s',
        'timeout connect 5s',
        'timeout server 60s',
      ]),
    );
  });

  it('opens the runtime API socket and never uses nbproc (fatal on HAProxy 2.6)', () => {
    const config = render();
    expect(sectionOf(config, 'global')).toContain(
      'stats socket /run/haproxy/admin.sock mode 600 level admin expose-fd listeners',
    );
    expect(config).not.toMatch(/nbproc/);
  });

  it('sets maxconn, log, user and group only when given', () => {
    const bare = sectionOf(render(), 'global').join('\n');
    expect(bare).not.toMatch(/^(maxconn|log|user|group) /m);
    const full = sectionOf(
      render({ maxconn: 8000, log: '/dev/log', user: 'haproxy', group: 'haproxy' }),
      'global',
    );
    expect(full).toEqual(
      expect.arrayContaining(['maxconn 8000', 'log /dev/log local0', 'user haproxy', 'group haproxy']),
    );
    expect(sectionOf(render({ log: 'stdout' }), 'global')).toContain('log stdout format raw local0');
  });

  it('names where the configuration came from in its header', () => {
    const topology = parseTopology({
      clientMessengers: ['a:1'],
      whatsappConnectors: ['b:2'],
      certificate: 'c.pem',
      statsSocket: 's.sock',
    });
    expect(renderHaproxyConfig(topology, { generatedFrom: 'topology.json' }).split('\n')[0]).toMatch(
      /generated by tools\/haproxy\/generate-haproxy-config\.ts from topology\.json\.$/,
    );
  });

  it('is what haproxy/haproxy.cfg holds for haproxy/topology.example.json (regenerate: haproxy/README.md)', () => {
    const topology = parseTopology(
      JSON.parse(readFileSync(join(ROOT_DIR, 'haproxy/topology.example.json'), 'utf8')),
    );
    const committed = readFileSync(join(ROOT_DIR, 'haproxy/haproxy.cfg'), 'utf8');
    expect(committed).toBe(renderHaproxyConfig(topology, { generatedFrom: 'haproxy/topology.example.json' }));
  });
});
