import pg from 'pg';

/** Runs SQL on a connection of its own, opened for it and closed after it, whatever happens; the last statement's rows. */
export async function runSql<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Several statements in one text give one result each.
    const result = (await client.query<R>(text)) as pg.QueryResult<R> | Array<pg.QueryResult<R>>;
    return (Array.isArray(result) ? result.at(-1) : result)?.rows ?? [];
  } finally {
    await client.end();
  }
}
