import { parseDatabaseUrl } from './database-url';

describe('parseDatabaseUrl', () => {
  it('reads an SQLite file path', () => {
    expect(parseDatabaseUrl('sqlite:./data/switchboard.db')).toEqual({
      kind: 'sqlite',
      file: './data/switchboard.db',
    });
  });

  it('reads an in-memory SQLite database', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
  });

  it('reads a mysql:// URL', () => {
    expect(parseDatabaseUrl('mysql://root@127.0.0.1:3306/switchboard')).toEqual({
      kind: 'mysql',
      url: 'mysql://root@127.0.0.1:3306/switchboard',
    });
  });

  it('reads a mariadb:// URL as the same driver', () => {
    expect(parseDatabaseUrl('mariadb://app:secret@db/switchboard')).toEqual({
      kind: 'mysql',
      url: 'mysql://app:secret@db/switchboard',
    });
  });

  it('names the accepted forms when the scheme is unknown', () => {
    expect(() => parseDatabaseUrl('postgres://db/switchboard')).toThrow(/accepted forms: sqlite:<file>/);
  });

  it('refuses a MariaDB URL without a database name', () => {
    expect(() => parseDatabaseUrl('mysql://root@127.0.0.1:3306/')).toThrow(
      /needs a host and a database name/,
    );
  });
});
