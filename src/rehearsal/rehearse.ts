/**
 * A rehearsal: optionally rebuild staging from production, check staging has production's schema,
 * snapshot the touched tables, run the migrations on staging in record mode, snapshot again and
 * verify that every value survived. Red outcomes are reports, not exceptions; only a rehearsal
 * that cannot run at all throws (TW_REHEARSAL_FAILED).
 */
import type pg from 'pg';
import { TripwireError } from '../errors.js';
import { loadInspector, type Catalog } from '../inspector/index.js';
import { splitDisplayName } from './names.js';
import { catalogAt, connect } from './catalogs.js';
import { checkConstraints } from './constraints.js';
import { drift } from './drift.js';
import { runInRecordMode } from './record-run.js';
import { finish } from './report.js';
import { snapshotTables } from './snapshot.js';
import { touchedTables } from './touched.js';
import type { RehearsalInput, RehearsalProgress, RehearsalReport } from './types.js';
import { verify } from './verify.js';

async function opened(url: string, side: string): Promise<pg.Client> {
  try {
    return await connect(url, 'tripwire-rehearsal');
  } catch (err) {
    throw new TripwireError('TW_REHEARSAL_FAILED', { detail: `cannot connect to ${side}: ${(err as Error).message}` }, { cause: err });
  }
}

export async function rehearse(input: RehearsalInput): Promise<RehearsalReport> {
  const started = Date.now();
  const progress = (p: RehearsalProgress) => input.onProgress?.(p);
  await loadInspector();
  const production = await opened(input.productionUrl, 'production');
  let staging: pg.Client | null = null;
  try {
    staging = await opened(input.stagingUrl, 'staging');
    const prodCatalog = await catalogAt(production);
    let stagingCatalog = await catalogAt(staging);
    const touched = touchedTables(input.migrations, prodCatalog);
    const tables = [...touched.existing, ...touched.created];
    const empty = { tables, before: [], after: [], statements: [], uncovered: [], failure: null, rowLosses: [], losses: [], moves: [], discarded: [], constraints: { checked: 0, problems: [] } };

    let fresh: unknown = null;
    if (input.fresh) {
      progress({ step: 'fresh', message: `rebuilding ${touched.existing.join(', ') || 'no tables'} on staging from production` });
      // Tables this change creates, left on staging by an earlier rehearsal, go: production has none.
      const leftOver = touched.created.filter((t) => tableIn(stagingCatalog, t));
      fresh = await input.fresh(touched.existing, leftOver);
      stagingCatalog = await catalogAt(staging);
    }

    progress({ step: 'drift', message: 'comparing the staging schema with production' });
    const drifted = drift(prodCatalog, stagingCatalog);
    if (drifted) {
      progress({ step: 'drift', message: `staging has drifted from production: ${drifted.differences.length} difference(s)` });
      return finish({ ...empty, fresh, drift: drifted, ms: Date.now() - started });
    }

    progress({ step: 'before', message: `snapshot of ${touched.existing.length} table(s): rows, and per column the count, distinct count and hash of the values` });
    const before = await snapshotTables(staging, stagingCatalog, touched.existing, (t, i) => progress({ step: 'before', message: t, done: i + 1, total: touched.existing.length }));

    const run = await runInRecordMode({
      stagingUrl: input.stagingUrl,
      migrations: input.migrations,
      covered: input.covered,
      ...(input.policyPath ? { policyPath: input.policyPath } : {}),
      logger: input.logger,
      onMigration: (name, i) => progress({ step: 'run', message: `migration ${name}`, done: i + 1, total: input.migrations.length }),
    });

    const afterCatalog = await catalogAt(staging);
    progress({ step: 'after', message: 'snapshot again' });
    const after = await snapshotTables(staging, afterCatalog, tables, (t, i) => progress({ step: 'after', message: t, done: i + 1, total: tables.length }));

    progress({ step: 'verify', message: 'every row kept, every value somewhere, every constraint valid' });
    const verdict = verify(before, after, input.discards);
    const constraints = await checkConstraints(staging, after.map((t) => t.table));
    return finish({
      ...empty,
      fresh,
      drift: null,
      before,
      after,
      statements: run.statements,
      uncovered: run.statements.filter((s) => !s.covered),
      failure: run.failure,
      ...verdict,
      constraints,
      ms: Date.now() - started,
    });
  } catch (err) {
    if (err instanceof TripwireError) throw err;
    throw new TripwireError('TW_REHEARSAL_FAILED', { detail: (err as Error).message }, { cause: err });
  } finally {
    await production.end().catch(() => undefined);
    await staging?.end().catch(() => undefined);
  }
}

function tableIn(catalog: Catalog, display: string): boolean {
  const [schema, name] = splitDisplayName(display) as [string, string];
  return Object.hasOwn(catalog.schemas, schema) && Object.hasOwn(catalog.schemas[schema]!.tables, name);
}
