/** Collection of attachment references: file names, links and 'Bilaga 3' style references. */

const FILE_EXTENSIONS = [
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'tif', 'tiff', 'webp', 'pdf', 'doc', 'docx', 'xls', 'xlsx', 'csv',
  'txt', 'log', 'zip', 'msg', 'eml', 'ppt', 'pptx', 'odt', 'ods', 'json', 'xml', 'html', 'htm', 'mp4', 'mov',
];

const FILE_NAME_PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}_.-])[\\p{L}\\p{N}_][\\p{L}\\p{N}_.\\-]*\\.(?:${FILE_EXTENSIONS.join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/giu;
/** 'Bilaga 3', 'bilaga 2a', 'Attachment B', 'Appendix 4', 'Annex 1', 'Bijlage 2'. */
const NAMED_ATTACHMENT_PATTERN = /\b(?:bilaga|bilagor|attachment|appendix|annex|bijlage)\s+(?:\d+[a-z]?|[A-Z])\b/giu;
/**
 * Maximum length of a word searched for a file name or link, in UTF-16 code units. A file name
 * has at most 255 characters and a link seldom more than 2,000. On a word of a few million
 * characters, such as base64 data pasted into a comment, the file-name pattern overflows V8's
 * regular-expression stack (Node.js 20).
 */
const MAX_SEARCHED_WORD_LENGTH = 2_048;
const LONG_WORD_PATTERN = new RegExp(`\\S{${MAX_SEARCHED_WORD_LENGTH + 1},}`, 'g');

/** Returns the file names, links and attachment references mentioned in a text, in order. */
export function findAttachmentReferences(text: string): string[] {
  if (text === '') return [];
  const searched = blankLongWords(text);
  const found: { index: number; value: string }[] = [];
  const urlSpans: [number, number][] = [];

  for (const match of searched.matchAll(URL_PATTERN)) {
    found.push({ index: match.index, value: match[0] });
    urlSpans.push([match.index, match.index + match[0].length]);
  }
  const insideUrl = (index: number): boolean => urlSpans.some(([start, end]) => index >= start && index < end);
  for (const pattern of [FILE_NAME_PATTERN, NAMED_ATTACHMENT_PATTERN]) {
    for (const match of searched.matchAll(pattern)) {
      if (!insideUrl(match.index)) found.push({ index: match.index, value: match[0] });
    }
  }
  return unique(found.sort((a, b) => a.index - b.index).map((entry) => entry.value));
}

/** Replaces each word longer than MAX_SEARCHED_WORD_LENGTH with as many spaces, so that match offsets stay those of the text. */
function blankLongWords(text: string): string {
  if (text.length <= MAX_SEARCHED_WORD_LENGTH) return text;
  return text.replace(LONG_WORD_PATTERN, (word) => ' '.repeat(word.length));
}

/**
 * Returns the references in an attachment column's cell: each line or semicolon-separated
 * part is one reference.
 */
export function splitAttachmentCell(text: string): string[] {
  return text
    .split(/[\n;]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Joins reference lists, keeping the first occurrence of each reference. */
export function mergeAttachments(...lists: string[][]): string[] {
  return unique(lists.flat());
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const value of values) {
    const key = value.toLocaleLowerCase('sv');
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(value);
  }
  return result;
}
