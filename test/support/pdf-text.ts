import zlib from 'node:zlib';

/**
 * The text a PDF made by pdfkit shows, line by line: its content streams inflated and the hex
 * strings of their TJ operators decoded (pdfkit writes the standard fonts' text that way).
 */
export function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const lines: string[] = [];
  for (const m of source.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = zlib.inflateSync(Buffer.from(m[1], 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const line of content.split('\n')) {
      const tj = /\[(.*)\] TJ/.exec(line);
      if (tj) lines.push([...tj[1].matchAll(/<([0-9a-fA-F]+)>/g)].map((h) => Buffer.from(h[1], 'hex').toString('latin1')).join(''));
    }
  }
  return lines.join('\n');
}
