// docs/api.md states the workflow's transition table; it must match the state machine.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedTransitions, DEVIATION_STATUSES } from '../src/workflow/state-machine.ts';

const DOCS = fs.readFileSync(path.resolve(import.meta.dirname, '..', 'docs', 'api.md'), 'utf8');

describe('docs/api.md', () => {
  it('lists the allowed transitions of every status', () => {
    const workflow = DOCS.slice(DOCS.indexOf('## Workflow'), DOCS.indexOf('### History'));
    const table = new Map<string, string[]>();
    const rows = workflow.split('\n').filter((line) => line.startsWith('|')).slice(2);
    for (const line of rows) {
      const match = /^\| ([a-z-]+) \| ([a-z-, ]+) \|$/.exec(line);
      expect(match, line).not.toBeNull();
      table.set(match![1]!, match![2]!.split(', '));
    }
    expect([...table.keys()].sort()).toEqual([...DEVIATION_STATUSES].sort());
    for (const status of DEVIATION_STATUSES) expect(table.get(status), status).toEqual([...allowedTransitions(status)]);
  });
});
