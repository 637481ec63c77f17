/** Option and argument parsers for paths given on the command line. */
import { InvalidArgumentError } from 'commander';

/**
 * Returns a path as given, or raises commander's error for an empty one, such as `--out ""` or an
 * unset shell variable, which would otherwise name the current folder or a file called `.partial`.
 */
export function parsePath(value: string): string {
  if (value === '') throw new InvalidArgumentError('It is empty, so give a path.');
  return value;
}

/** Collects the paths of a variadic argument such as `<files...>`, each checked by parsePath. */
export function parsePaths(value: string, previous: string[] = []): string[] {
  return [...previous, parsePath(value)];
}
