import { describe, expect, it } from 'vitest';
import { missingDatabaseMessage } from './client.ts';

describe('missingDatabaseMessage', () => {
  it('gives the createdb command for the URL', () => {
    const message = missingDatabaseMessage('postgresql://postgres@127.0.0.1:5432/avvik');
    expect(message).toContain('Database avvik does not exist on 127.0.0.1:5432.');
    expect(message).toContain('Create it with `createdb -h 127.0.0.1 -U postgres avvik`');
  });

  it('quotes names for the shell and keeps another port', () => {
    const message = missingDatabaseMessage('postgresql://o%27k@db.example:5433/avvik%20x');
    expect(message).toContain(`\`createdb -h db.example -p 5433 -U 'o'\\''k' 'avvik x'\``);
  });

  it('leaves out the host of a socket URL', () => {
    const message = missingDatabaseMessage('postgresql:///avvik');
    expect(message).toContain('does not exist on the local PostgreSQL server');
    expect(message).toContain('`createdb avvik`');
  });
});
