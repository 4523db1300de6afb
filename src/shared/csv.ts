import { invalid } from './errors.ts';

/** One record of a CSV text, with the line it starts on (1-based, the header is line 1). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * Parses CSV as spreadsheets write it (RFC 4180): a UTF-8 BOM is dropped, the separator is `;`
 * or `,` (whichever the header line has more of, outside quotes), fields may be quoted with `""`
 * for a quote and line breaks inside, lines end in LF or CRLF; blank lines are skipped.
 */
export function parseCsv(text: string): { separator: ';' | ','; records: CsvRecord[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const separator = guessSeparator(body);
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let startLine = 1;
  let quoted = false;
  let wasQuoted = false;
  const endCell = () => {
    cells.push(wasQuoted ? cell : cell.trim());
    cell = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endCell();
    if (cells.length > 1 || cells[0] !== '') records.push({ line: startLine, cells });
    cells = [];
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      wasQuoted = true;
      cell = '';
    } else if (ch === separator) endCell();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      startLine = line;
    } else cell += ch;
  }
  if (quoted) throw invalid('csv_invalid', `line ${startLine}: a quoted field is never closed`, { line: startLine });
  if (cell !== '' || cells.length) endRecord();
  return { separator, records };
}

function guessSeparator(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  return semicolons > commas ? ';' : ',';
}
