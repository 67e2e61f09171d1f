import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbedded } from './embedded-startup';

// note: the whole product starts (migrations, password hashing); on a loaded machine that can take
// longer than jest's 5 s default, which says nothing about the behaviour.
jest.setTimeout(30_000);

describe('npm start (the embedded start-up)', () => {
  let dataDirectory: string;
  let app: INestApplication | undefined;
  let printed = '';

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-startup-'));
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    });
    try {
      app = await startEmbedded([], {
        DATADIR: dataDirectory,
        PORT: '0',
        HOST: '127.0.0.1',
        SWITCHBOARD_ADMIN_PORT: '0',
      });
    } finally {
      write.mockRestore();
    }
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('prints its URLs and the demo login', () => {
    expect(printed).toContain('/gui/demo.html');
    expect(printed).toContain('/gui/console/');
    expect(printed).toMatch(/demo agent {4}\S+ \/ \S+/);
    expect(printed).toMatch(/admin {9}http:\/\/localhost:\d+\/\?a=<auth string>/);
  });

  it('never prints the admin auth string, in its log lines or elsewhere', () => {
    const authString = readFileSync(join(dataDirectory, 'admin-auth.txt'), 'utf8').trim();
    expect(authString.length).toBeGreaterThanOrEqual(8);
    expect(printed).not.toContain(authString);
  });

  it("logs readable lines at info, without Nest's route mapping", () => {
    expect(printed).toMatch(/INFO  \[embedded\] embedded ready on http:\/\/localhost:\d+/);
    expect(printed).not.toContain('Mapped {');
    expect(printed).not.toContain('dependencies initialized');
  });
});
