import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

describe('readConfig', () => {
  it('applies defaults to an empty environment', () => {
    const settings = readConfig({});
    expect(settings.DATABASE_URL).toBeUndefined();
    expect(settings.REDIS_URL).toBeUndefined();
    expect(settings.AVVIK_DATA_DIR).toBe('.avvik-data');
    expect(settings.AVVIK_WORKER_CONCURRENCY).toBe(2);
    expect(settings.AVVIK_MAX_FILE_BYTES).toBe(25 * 1024 * 1024);
  });

  it('treats empty URLs as unset', () => {
    const settings = readConfig({ DATABASE_URL: '', REDIS_URL: ' ' });
    expect(settings.DATABASE_URL).toBeUndefined();
    expect(settings.REDIS_URL).toBeUndefined();
  });

  it('lists every invalid variable in one error', () => {
    const read = () =>
      readConfig({ DATABASE_URL: 'mysql://x', AVVIK_WORKER_CONCURRENCY: 'zero', AVVIK_LOG_LEVEL: 'loud' });
    expect(read).toThrow(ConfigError);
    try {
      read();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('AVVIK_WORKER_CONCURRENCY');
      expect(message).toContain('AVVIK_LOG_LEVEL');
    }
  });

  it.each(['abc', '1.5', '-3', '0'])('names the rule for a count of %s', (value) => {
    expect(() => readConfig({ AVVIK_MAX_FILE_BYTES: value })).toThrow(
      `AVVIK_MAX_FILE_BYTES: must be a whole number above 0, such as the default 26214400 (got "${value}")`,
    );
  });

  it('rejects a queue without a server database', () => {
    expect(() => readConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/DATABASE_URL: is required when REDIS_URL is set/);
  });
});
