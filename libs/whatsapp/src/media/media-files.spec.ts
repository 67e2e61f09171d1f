import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaFiles } from './media-files';

describe('MediaFiles', () => {
  let dataDirectory: string;
  let files: MediaFiles;

  beforeEach(() => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-media-'));
    files = new MediaFiles(dataDirectory);
  });

  afterEach(() => rmSync(dataDirectory, { recursive: true, force: true }));

  it('stores an allowed type under an unguessable name and finds it again', async () => {
    const name = await files.save('image/png', Buffer.from('png bytes'));
    expect(name).toMatch(/^[a-f0-9]{32}\.png$/);
    const located = files.locate(name);
    expect(located).toMatchObject({ contentType: 'image/png' });
    expect(readFileSync(located!.path, 'utf8')).toBe('png bytes');
  });

  it('refuses a type outside the allow-list', async () => {
    await expect(files.save('text/html', Buffer.from('<script>'))).rejects.toThrow('not on the allow-list');
  });

  it.each([
    '../secret.txt',
    '..%2Fsecret.txt',
    'a.png',
    `${'a'.repeat(32)}.exe`,
    `${'a'.repeat(32)}.png/..`,
    '',
  ])('never locates %j', (name) => {
    expect(files.locate(name)).toBeNull();
  });
});
