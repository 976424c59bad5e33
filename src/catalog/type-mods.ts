/**
 * atttypmod decoded into the modifiers a type was declared with, so a live column reads exactly
 * like the same column parsed from SQL: varchar(20) → [20], numeric(10,2) → [10, 2].
 */
export function typeMods(typeName: string, typmod: number): number[] {
  if (typmod < 0) return [];
  switch (typeName) {
    case 'varchar':
    case 'bpchar':
      return typmod >= 4 ? [typmod - 4] : [];
    case 'numeric': {
      if (typmod < 4) return [];
      const t = typmod - 4;
      const precision = (t >> 16) & 0xffff;
      const scale = t & 0xffff;
      return scale === 0 ? [precision] : [precision, scale];
    }
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'timetz':
    case 'bit':
    case 'varbit':
      return [typmod];
    default:
      return [];
  }
}
