import crypto from 'node:crypto';
import { formatDate } from '../../../platform/dates.ts';
import { formatPence } from '../../../platform/money.ts';

/** The SHA-256 fingerprint of a letter's text: what each signature names. */
export function fingerprintOf(body: string): string {
  return crypto.createHash('sha256').update(body, 'utf8').digest('hex');
}

const notAgreed = 'To be agreed.';

/** The fund's template with the grant's details and the closure checklist's sections filled in. */
export function fillTemplate(
  template: string,
  values: {
    recipient: string;
    grantId: string;
    title: string;
    amountPence: number;
    funder: string;
    fund: string;
    awardDate: string;
    reporting: string;
    money: string;
    intellectualProperty: string;
    personalData: string;
    communications: string;
    assets: string;
    meeting: string;
  },
): string {
  const { amountPence: _pence, ...text } = values;
  const filled: Record<string, string> = {
    ...text,
    amount: formatPence(values.amountPence),
    awardDate: formatDate(values.awardDate),
  };
  return template.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (all, key: string) => (key in filled ? String(filled[key] || notAgreed) : all));
}

export type SignatureLine = { party: 'funder' | 'grantee'; typedName: string; signerRole: string; signedOn: string; fingerprint: string };

/** The signed letter as a PDF: the text, then both signatures, each naming the version's fingerprint. */
export async function letterPdf(letter: { title: string; version: number; body: string; fingerprint: string; funder: string; recipient: string; signatures: SignatureLine[] }): Promise<Buffer> {
  // Loaded on the first letter, not at start: pdfkit and its fonts hold about 28 MiB.
  const { default: PDFDocument } = await import('pdfkit');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: letter.title, Author: letter.funder } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(16).text(letter.title);
    doc.moveDown(0.3).font('Helvetica').fontSize(9).fillColor('#4c6272').text(`Version ${letter.version}. SHA-256 fingerprint: ${letter.fingerprint}`);
    doc.moveDown().fillColor('#212b32').fontSize(11).text(letter.body, { lineGap: 2 });
    doc.moveDown(1.5).font('Helvetica-Bold').fontSize(13).text('Signatures');
    for (const party of ['funder', 'grantee'] as const) {
      const s = letter.signatures.find((x) => x.party === party);
      doc.moveDown(0.6).font('Helvetica-Bold').fontSize(11).text(party === 'funder' ? `For the funder, ${letter.funder}` : `For the grantee, ${letter.recipient}`);
      if (s) {
        doc.font('Helvetica').text(`Signed: ${s.typedName}, ${s.signerRole}, on ${formatDate(s.signedOn)}`);
        doc.fontSize(9).fillColor('#4c6272').text(`Signed version fingerprint: ${s.fingerprint}`).fillColor('#212b32').fontSize(11);
      } else {
        doc.font('Helvetica').text('Not signed yet.');
      }
    }
    doc.end();
  });
}
