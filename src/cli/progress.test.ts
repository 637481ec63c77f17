import { describe, expect, it } from 'vitest';
import { createProgressReporter } from './progress.ts';

/** Collects what a reporter writes, as a terminal or as a pipe. */
function captureStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, write: (chunk: string) => chunks.push(chunk) > 0 }, output: () => chunks.join('') };
}

/** Returns the lines a terminal shows for the output: `\r` moves to the line's start and `ESC[K` erases to its end. */
function screenLines(output: string): string[] {
  const lines = [''];
  let column = 0;
  for (let index = 0; index < output.length; index++) {
    if (output.startsWith('\u001b[K', index)) {
      lines[lines.length - 1] = lines.at(-1)!.slice(0, column);
      index += 2;
    } else if (output[index] === '\r') {
      column = 0;
    } else if (output[index] === '\n') {
      lines.push('');
      column = 0;
    } else {
      const line = lines.at(-1)!;
      lines[lines.length - 1] = line.slice(0, column) + output[index] + line.slice(column + 1);
      column += 1;
    }
  }
  return lines;
}

describe('createProgressReporter', () => {
  it('keeps log lines off the progress line on a terminal', () => {
    const { stream, output } = captureStream(true);
    const progress = createProgressReporter(5_000, stream);
    progress.write('{"msg":"context opened"}\n');
    progress.update('1/2 files');
    progress.write('{"msg":"declaration stored","file":"b.xlsx"}\n');
    progress.write('Stopping after the current file');
    progress.update('2/2 files');
    progress.end();

    expect(screenLines(output())).toEqual([
      '{"msg":"context opened"}',
      '{"msg":"declaration stored","file":"b.xlsx"}',
      'Stopping after the current file',
      '2/2 files',
      '',
    ]);
  });

  it('passes log lines through unchanged to a pipe', () => {
    const { stream, output } = captureStream(false);
    const progress = createProgressReporter(60_000, stream);
    progress.update('1/2 files');
    progress.write('{"msg":"declaration stored"}\n');
    progress.update('2/2 files');
    progress.end();

    expect(output()).toBe('1/2 files\n{"msg":"declaration stored"}\n2/2 files\n');
  });
});
