/** Plain-language reasons for failed file writes, from the error codes that Node.js reports. */

export interface WriteFailure {
  /** Cause of the failure, worded to follow "because": "the disk is full (ENOSPC)". */
  reason: string;
  /** Kind of fix that the caller's message suggests. */
  kind: 'space' | 'file-size-limit' | 'missing-folder' | 'not-allowed' | 'folder-in-the-way' | 'other';
}

/** Describes why a write failed, for messages that name the file and the next step. */
export function describeWriteFailure(error: unknown): WriteFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
      return { reason: 'the disk is full (ENOSPC)', kind: 'space' };
    case 'EDQUOT':
      return { reason: 'the disk quota is used up (EDQUOT)', kind: 'space' };
    case 'EFBIG':
      return { reason: 'the file would pass the file size limit of the process (EFBIG)', kind: 'file-size-limit' };
    case 'ENOENT':
    case 'ENOTDIR':
      return { reason: `its folder does not exist (${code})`, kind: 'missing-folder' };
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return { reason: `writing there is not allowed (${code})`, kind: 'not-allowed' };
    case 'EISDIR':
      return { reason: `a folder has that name (${code})`, kind: 'folder-in-the-way' };
    default:
      return { reason: error instanceof Error ? error.message : String(error), kind: 'other' };
  }
}
