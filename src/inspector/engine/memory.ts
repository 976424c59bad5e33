/**
 * Keeps the migration memory in step with each change: what this migration created (so dropping
 * it loses nothing) and what it dropped (so a later ADD or CREATE of the same thing is seen as a
 * re-creation, not a fresh start).
 */
import { displayName } from '../catalog/names.js';
import type { QName } from '../catalog/types.js';
import type { Change } from '../model/changes.js';
import type { Session } from './session.js';

function forget(session: Session, prefix: string): void {
  session.setCreated(session.memory.created.filter((k) => k !== prefix && !k.startsWith(`${prefix}.`)));
}

function renamePrefix(session: Session, from: string, to: string): void {
  if (!session.memory.created.some((k) => k === from || k.startsWith(`${from}.`))) return;
  session.setCreated(session.memory.created.map((k) => (k === from ? to : k.startsWith(`${from}.`) ? to + k.slice(from.length) : k)));
}

function moved(session: Session, from: QName, to: QName): void {
  renamePrefix(session, displayName(from), displayName(to));
}

export function applyMemory(session: Session, c: Change, statement: number): void {
  const m = session.memory;
  switch (c.op) {
    case 'create-table':
      if (c.table.exists !== 'yes') session.addCreated(displayName(c.table.q));
      break;
    case 'add-column':
      if (!session.isNew(c.table.q)) session.addCreated(displayName(c.table.q, c.column.name));
      break;
    case 'drop-column':
      if (session.isNew(c.table.q, c.column)) {
        if (!session.isNew(c.table.q)) forget(session, displayName(c.table.q, c.column));
      }
      else if (c.exists !== 'no') m.droppedColumns.push({ table: c.table.q, written: c.table.written, column: c.column, type: c.type, call: session.call, statement });
      break;
    case 'drop-table':
      if (session.isNew(c.table.q)) forget(session, displayName(c.table.q));
      else if (c.table.exists !== 'no' && c.kind === 'table') m.droppedTables.push({ table: c.table.q, written: c.table.written, call: session.call, statement });
      break;
    case 'rename-column':
      renamePrefix(session, displayName(c.table.q, c.from), displayName(c.table.q, c.to));
      break;
    case 'rename-relation':
      moved(session, c.relation.q, { schema: c.relation.q.schema, name: c.to });
      break;
    case 'set-schema':
      moved(session, c.relation.q, { schema: c.to, name: c.relation.q.name });
      break;
    default:
      break;
  }
}
