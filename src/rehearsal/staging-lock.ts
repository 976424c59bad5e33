/**
 * One rehearsal at a time on a staging database, whichever change and whichever tripwire instance
 * runs it: two at once would read each other's half-applied migrations into their snapshots. A
 * session advisory lock on the staging server, held on a connection of its own for the whole run;
 * it goes when the connection does, so a crashed instance never leaves it behind.
 */
import pg from 'pg';
import { clientConfig } from '../state/connection.js';
import { parseUpstreamUrl } from '../config/upstream.js';

/** The advisory lock key (class, id): "tw" and "rehearsal" in ASCII, so it reads as tripwire's. */
const LOCK: [number, number] = [0x7477, 0x72656865];

export interface StagingLock {
  release(): Promise<void>;
}

/** The lock, or null when another rehearsal holds it. Throws when staging cannot be reached. */
export async function tryLockStaging(stagingUrl: string): Promise<StagingLock | null> {
  const client = new pg.Client(clientConfig(parseUpstreamUrl(stagingUrl), undefined, 'tripwire-rehearsal-lock'));
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', LOCK);
    if (rows[0]?.locked) return { release: () => client.end().catch(() => undefined) };
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  await client.end().catch(() => undefined);
  return null;
}
