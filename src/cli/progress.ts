export interface ProgressReporter {
  update(line: string): void;
  /**
   * Writes other output, such as a log line, above the progress line. On a terminal the progress
   * line is cleared first and drawn again below, so that the output does not run on from the
   * progress text. A logger can write through it, because pino takes any object with `write`.
   */
  write(text: string): void;
  end(): void;
}

/** The part of a stream the reporter writes to; process.stderr by default. */
export type ProgressStream = Pick<NodeJS.WriteStream, 'isTTY' | 'write'>;

/** Shows one progress line on stderr: redrawn in place on a terminal, else every few seconds. */
export function createProgressReporter(intervalMs = 5_000, stream: ProgressStream = process.stderr): ProgressReporter {
  const terminal = stream.isTTY === true;
  let lastWritten = 0;
  let lastLine = '';
  // True while the progress line is on the terminal's last line, without a line break after it.
  let progressShown = false;

  return {
    update(line: string) {
      lastLine = line;
      if (terminal) {
        stream.write(`\r${line}\u001b[K`);
        progressShown = true;
      } else if (Date.now() - lastWritten >= intervalMs) {
        stream.write(`${line}\n`);
        lastWritten = Date.now();
      }
    },
    write(text: string) {
      if (!progressShown) {
        stream.write(text);
        return;
      }
      const lineBreak = text.endsWith('\n') ? '' : '\n';
      stream.write(`\r\u001b[K${text}${lineBreak}${lastLine}\u001b[K`);
    },
    end() {
      progressShown = false;
      if (terminal) stream.write('\n');
      else if (lastLine) stream.write(`${lastLine}\n`);
    },
  };
}
