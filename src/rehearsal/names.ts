/** Display names (`schema.table.column`, quoted where needed) taken apart and shortened. */

/** Splits a dotted display name into its identifiers, honouring double quotes. */
export function splitDisplayName(name: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (quoted) {
      if (ch === '"' && name[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === '.') {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** `public.customers.phone` → `customers.phone`: the public schema goes without saying. */
export function shortName(display: string): string {
  return display.startsWith('public.') ? display.slice('public.'.length) : display;
}

/** Is `declared` (as a user wrote it, with or without `public.`) the column `display`? */
export function sameColumn(declared: string, display: string): boolean {
  const d = declared.trim();
  return d === display || d === shortName(display) || `public.${d}` === display;
}
