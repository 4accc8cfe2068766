/**
 * A cell for a CSV someone will open in a spreadsheet: those programs run cells that start with
 * = + - @ or a tab or carriage return as formulas, and a leading apostrophe stops that.
 */
export function spreadsheetSafe(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
