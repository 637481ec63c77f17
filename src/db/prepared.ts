/**
 * Names for Avvik's own frequent statements. Prisma's PostgreSQL adapter sends a named statement
 * as a prepared statement, which each connection parses and plans once. A statement without a
 * name is parsed and planned on every call. Only fixed SQL texts get names, because each named
 * statement stays in its connection's memory for as long as the connection lives.
 */
const namesBySql = new Map<string, string>();

/** Registers a fixed SQL text under a name and returns the text. */
export function preparedStatement(name: string, sql: string): string {
  namesBySql.set(sql, name);
  return sql;
}

/** Returns the name of a registered SQL text, or undefined for any other statement. */
export function preparedStatementName(sql: string): string | undefined {
  return namesBySql.get(sql);
}
