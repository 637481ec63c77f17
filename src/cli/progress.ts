/** Shows one progress line on stderr: redrawn in place on a terminal, else every few seconds. */
export function createProgressReporter(intervalMs = 5_000): { update(line: string): void; end(): void } {
  const terminal = process.stderr.isTTY === true;
  let lastWritten = 0;
  let lastLine = '';

  return {
    update(line: string) {
      lastLine = line;
      if (terminal) {
        process.stderr.write(`\r${line}\u001b[K`);
      } else if (Date.now() - lastWritten >= intervalMs) {
        process.stderr.write(`${line}\n`);
        lastWritten = Date.now();
      }
    },
    end() {
      if (terminal) process.stderr.write('\n');
      else if (lastLine) process.stderr.write(`${lastLine}\n`);
    },
  };
}
