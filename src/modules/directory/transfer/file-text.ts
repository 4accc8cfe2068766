/*
 * The text of an uploaded file. Excel's "CSV (Comma delimited)" is saved in Windows-1252, not
 * UTF-8: read as UTF-8 it would become "Caf� �2.50". A file that is not valid UTF-8 is read as
 * Windows-1252 instead, and the report says so.
 */

/** Windows-1252's characters at 0x80–0x9F (where it differs from Latin-1); 0 where it has none. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

function windows1252(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f && CP1252_HIGH[b - 0x80] ? CP1252_HIGH[b - 0x80] : b));
    text += String.fromCharCode(...codes);
  }
  return text;
}

const WINDOWS_1252_NOTE =
  'The file is not UTF-8, so it was read as Windows-1252 (what Excel saves as "CSV (Comma delimited)"); check that letters such as é and £ came through. Saving as "CSV UTF-8" avoids this.';

/** The file's text, and a note when it was not UTF-8. */
export function fileText(bytes: Uint8Array): { text: string; note?: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes) };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { text: windows1252(bytes), note: WINDOWS_1252_NOTE };
  }
}
