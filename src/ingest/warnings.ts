/** Collection of parse warnings, with a limit per kind so that a large sheet stays readable. */

/** One warning: a kind such as 'unknown-answer', which the limit per kind counts, and a message for people. */
export interface ParseWarning {
  kind: string;
  message: string;
}

/** Warnings kept per kind. Further ones are counted in one closing line. */
const MAX_WARNINGS_PER_KIND = 25;

export class WarningLog {
  private readonly messages: string[] = [];
  private readonly counts = new Map<string, number>();

  /** Adds a warning of a kind such as 'unknown-answer', unless that kind reached its limit. */
  add(kind: string, message: string): void {
    const count = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, count);
    if (count <= MAX_WARNINGS_PER_KIND) this.messages.push(message);
  }

  /** Returns the kept warnings, followed by one line per kind that exceeded the limit. */
  list(): string[] {
    const overflow: string[] = [];
    for (const [kind, count] of this.counts) {
      if (count > MAX_WARNINGS_PER_KIND) {
        overflow.push(`${count - MAX_WARNINGS_PER_KIND} more warnings of kind '${kind}' were left out.`);
      }
    }
    return [...this.messages, ...overflow];
  }
}
