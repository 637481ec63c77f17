// The worker's own statements go to PostgreSQL through pg, beside Prisma. They must read values as
// Prisma does, and a transaction must keep all or nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyValue } from '../src/db/copy-text.ts';
import { prismaExecutor, sqlOf } from '../src/db/sql.ts';
import { asInvalidData } from '../src/workers/process-declaration.ts';
import { createTestDatabase, type TestDatabase } from './support/services.ts';

let test: TestDatabase;

beforeAll(async () => {
  test = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await test?.drop();
});

describe('statements through pg', () => {
  it('read timestamps without a zone as UTC, as Prisma does', async () => {
    const zone = process.env.TZ;
    // pg's own reading would take 03:04 as Stockholm time and give 02:04 UTC.
    process.env.TZ = 'Europe/Stockholm';
    try {
      const sql = 'SELECT $1::timestamp(3) AS "at", $2::bytea AS "bytes"';
      const values = ['2026-01-02 03:04:05.678', Buffer.from([0, 1, 255])];
      const [viaPg] = await sqlOf(test.database.prisma).query<{ at: Date; bytes: Uint8Array }>(sql, values);
      const [viaPrisma] = await prismaExecutor(test.database.prisma).query<{ at: Date; bytes: Uint8Array }>(sql, values);
      expect(viaPg!.at.toISOString()).toBe('2026-01-02T03:04:05.678Z');
      expect(viaPg!.at).toEqual(viaPrisma!.at);
      expect([...viaPg!.bytes]).toEqual([0, 1, 255]);
      expect([...viaPg!.bytes]).toEqual([...viaPrisma!.bytes]);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('roll back a transaction that throws, and keep one that returns', async () => {
    const sql = sqlOf(test.database.prisma);
    await sql.query('CREATE TABLE sql_test (n int PRIMARY KEY)', []);
    await expect(
      sql.transaction(async (session) => {
        await session.query('INSERT INTO sql_test VALUES (1)', []);
        await session.query('INSERT INTO sql_test VALUES (1)', []);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    await sql.transaction(async (session) => {
      await session.query('INSERT INTO sql_test VALUES (2)', []);
    });
    expect(await sql.query<{ n: number }>('SELECT n FROM sql_test ORDER BY n', [])).toEqual([{ n: 2 }]);
  });

  it('give invalid-data for a value PostgreSQL rejects', async () => {
    for (const executor of [sqlOf(test.database.prisma), prismaExecutor(test.database.prisma)]) {
      // 22003: a row number past the int range, as a crafted workbook could give.
      const rejected = await executor.query('SELECT $1::int AS n', ['3000000000']).catch((error: unknown) => error);
      const fileError = asInvalidData('rader.xlsx', rejected);
      expect(fileError?.code).toBe('invalid-data');
      expect(fileError?.message).toContain('rader.xlsx contains a value the database cannot store (PostgreSQL error 22003)');

      const divided = await executor.query('SELECT 1 / $1::int AS n', ['0']).catch((error: unknown) => error);
      // 22012 is a data exception too; a connection error is not.
      expect(asInvalidData('rader.xlsx', divided)?.code).toBe('invalid-data');
      expect(asInvalidData('rader.xlsx', new Error('Connection terminated'))).toBeNull();
    }
  });

  it('copy rows, or report the rejection code', async () => {
    const sql = sqlOf(test.database.prisma);
    await sql.query('CREATE TABLE copy_test (n int PRIMARY KEY, label text, tags text[])', []);
    const lines = (numbers: number[]) => numbers.map((n) => `${copyValue(n, 'number')}\t${copyValue(`rad ${n}\tmed tabb`, 'text')}\t${copyValue(['a,b', 'NULL'], 'text[]')}\n`);

    const copied = await sql.transaction(async (session) => session.copyFrom!('COPY copy_test (n, label, tags) FROM STDIN', lines([1, 2])));
    expect(copied).toBe(2);
    // A duplicate key in the second chunk rolls the whole transaction back and keeps the unique violation's code.
    await expect(
      sql.transaction(async (session) => {
        await session.copyFrom!('COPY copy_test (n, label, tags) FROM STDIN', lines([3, 4, 1]));
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await sql.query('SELECT n, label, tags FROM copy_test ORDER BY n', [])).toEqual([
      { n: 1, label: 'rad 1\tmed tabb', tags: ['a,b', 'NULL'] },
      { n: 2, label: 'rad 2\tmed tabb', tags: ['a,b', 'NULL'] },
    ]);
  });

  it('roll back a COPY whose connection is lost', async () => {
    const sql = sqlOf(test.database.prisma);
    await sql.query('CREATE TABLE copy_lost (line text)', []);
    const chunk = `${'x'.repeat(32 * 1024)}\n`;
    const attempt = sql.transaction(async (session) => {
      const [backend] = await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', []);
      const pid = backend!.pid;
      let sent = 0;
      function* chunks() {
        for (; sent < 2_000; sent++) {
          // After a few chunks another connection ends this one, in the middle of the COPY.
          if (sent === 20) void sql.query('SELECT pg_terminate_backend($1::int)', [pid]);
          yield chunk;
        }
      }
      await session.copyFrom!('COPY copy_lost (line) FROM STDIN', chunks());
    });
    // Without a listener on the checked-out client, the lost socket's 'error' event would end the process.
    await expect(attempt).rejects.toThrow();
    expect(await sql.query('SELECT count(*)::int AS n FROM copy_lost', [])).toEqual([{ n: 0 }]);
    // The pool still serves statements afterwards.
    expect(await sql.query('SELECT 1 AS one', [])).toEqual([{ one: 1 }]);
  });
});
