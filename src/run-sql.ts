import pg from 'pg';

/** Runs SQL on a connection of its own, opened for it and closed after it, whatever happens. */
export async function runSql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
