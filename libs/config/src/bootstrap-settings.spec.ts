import { BootstrapSettingsError, loadBootstrapSettings } from './bootstrap-settings';

const defaults = { port: 3000, service: 'embedded' };

describe('loadBootstrapSettings', () => {
  it('defaults to the embedded mode: SQLite under the data folder and the in-memory cluster', () => {
    const settings = loadBootstrapSettings({}, defaults);
    expect(settings.clusterMode).toBe('memory');
    expect(settings.databaseUrl).toMatch(/^sqlite:.*data\/switchboard\.db$/);
    expect(settings.port).toBe(3000);
  });

  it('reads the cluster settings', () => {
    const settings = loadBootstrapSettings(
      {
        SWITCHBOARD_CLUSTER: 'hazelcast',
        SWITCHBOARD_HAZELCAST_MEMBERS: '10.0.0.1:5701, 10.0.0.2:5701',
        SWITCHBOARD_DATABASE_URL: 'mysql://root@127.0.0.1:3306/switchboard',
        PORT: '3001',
      },
      defaults,
    );
    expect(settings).toMatchObject({
      clusterMode: 'hazelcast',
      hazelcastMembers: ['10.0.0.1:5701', '10.0.0.2:5701'],
      port: 3001,
    });
  });

  it('reports every bad variable at once, by name', () => {
    let error: unknown;
    try {
      loadBootstrapSettings(
        { SWITCHBOARD_CLUSTER: 'redis', PORT: '99999', SWITCHBOARD_DATABASE_URL: 'pg://x' },
        defaults,
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BootstrapSettingsError);
    expect((error as BootstrapSettingsError).problems).toEqual([
      'SWITCHBOARD_DATABASE_URL must start with sqlite:, mysql:// or mariadb://',
      'SWITCHBOARD_CLUSTER must be memory or hazelcast (got "redis")',
      'PORT must be an integer between 0 and 65535 (got "99999")',
    ]);
  });
});
