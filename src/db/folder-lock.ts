import fs from 'node:fs';

/** Raised when another live process holds the embedded database. */
export class FolderInUseError extends Error {
  override readonly name = 'FolderInUseError';
}

const WAIT_STEP_MS = 200;

/**
 * Takes an exclusive lock file holding this process's id, waiting up to `waitMs` for a live
 * holder to let go. A lock left by a process that no longer runs is taken over. Returns the
 * function that releases the lock.
 */
export async function lockFolder(lockPath: string, description: string, waitMs: number): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }

    const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
    if (!isRunning(holder)) {
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new FolderInUseError(
        `${description} is in use by process ${holder}. Wait until that command ends, or set ` +
          'DATABASE_URL to a PostgreSQL database, which several processes can share.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
