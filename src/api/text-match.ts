/**
 * Case-insensitive text conditions for Prisma. Prisma 7 compiles `mode: 'insensitive'` to ILIKE
 * on PostgreSQL without escaping, so a % or _ in the value would act as a wildcard. These escape
 * them, and the escape character itself, so that the value matches literally.
 */

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (character) => `\\${character}`);

export function equalsIgnoringCase(value: string) {
  return { equals: escapeLike(value), mode: 'insensitive' as const };
}

export function containsIgnoringCase(value: string) {
  return { contains: escapeLike(value), mode: 'insensitive' as const };
}
