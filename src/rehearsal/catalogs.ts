/** Catalogs of production and staging as a rehearsal compares them: tripwire's own schema left out. */
import pg from 'pg';
import { readCatalog } from '../catalog/read-catalog.js';
import { parseUpstreamUrl } from '../config/upstream.js';
import type { Catalog } from '../inspector/index.js';
import { clientConfig } from '../state/connection.js';

/** The state schema lives in the upstream database by default; it is tripwire's, not the app's. */
export const OWN_SCHEMA = 'tripwire';

export function withoutOwnSchema(catalog: Catalog): Catalog {
  if (!Object.hasOwn(catalog.schemas, OWN_SCHEMA)) return catalog;
  const schemas = { ...catalog.schemas };
  delete (schemas as Record<string, unknown>)[OWN_SCHEMA];
  return { ...catalog, schemas };
}

export async function connect(url: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(parseUpstreamUrl(url), undefined, applicationName));
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function catalogAt(client: pg.Client): Promise<Catalog> {
  return withoutOwnSchema(await readCatalog(client));
}
