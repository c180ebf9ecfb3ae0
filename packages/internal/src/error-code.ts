/**
 * The one guard style of every package: an error is recognised by its stable `code` (and `name`),
 * not by `instanceof` alone, so a guard holds across two installed copies of a package.
 * `codes` is the set a class (or a whole package's base class) may carry.
 */
export function hasErrorCode(value: unknown, name: string | undefined, codes: ReadonlySet<string>): boolean {
  if (!(value instanceof Error)) return false;
  const { code } = value as { code?: unknown };
  return typeof code === 'string' && codes.has(code) && (name === undefined || value.name === name);
}
