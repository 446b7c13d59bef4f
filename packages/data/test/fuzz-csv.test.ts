// Fuzzing the CSV reader with mutations of real files: the committed iris fixture always, the scikit-learn
// files of ../shared/data where present. Every mutated text either parses into a table whose shape agrees with
// itself or throws a DataFormatError naming a line; never another error, a hang, or a touched prototype.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { CsvData, CsvOptions } from '../src/index';
import { DataFormatError, loadCsv, parseCsv } from '../src/index';
import { SHARED_DATA, hasShared } from './helpers';

const RUNS = 400;
const texts: { name: string; text: string; options: CsvOptions }[] = [
  {
    name: 'iris.csv',
    text: readFileSync(join(import.meta.dirname, 'fixtures', 'iris.csv'), 'utf8'),
    options: { labelColumn: 4 },
  },
];
if (hasShared('small/digits.csv.gz'))
  texts.push({
    name: 'digits.csv',
    text: gunzipSync(readFileSync(`${SHARED_DATA}/small/digits.csv.gz`)).toString('utf8'),
    options: { header: false, labelColumn: 64 },
  });
if (hasShared('small/wine_data.csv'))
  texts.push({
    name: 'wine_data.csv',
    text: readFileSync(`${SHARED_DATA}/small/wine_data.csv`, 'utf8'),
    options: { labelColumn: 13 },
  });

const protoKeys = Reflect.ownKeys(Object.prototype).length;
const outcomes = new Map<string, number>();
const count = (what: string): void => void outcomes.set(what, (outcomes.get(what) ?? 0) + 1);

afterAll(() => {
  expect(Reflect.ownKeys(Object.prototype).length).toBe(protoKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  console.log(
    `CSV fuzz: ${[...outcomes.values()].reduce((a, b) => a + b, 0)} texts parsed ` +
      `(${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}); files: ${texts.map((t) => t.name).join(', ')}`,
  );
});

function expectConsistent(r: CsvData, options: CsvOptions): void {
  expect(r.values.length).toBe(r.numRows * r.columnNames.length);
  if (options.labelColumn !== undefined) expect(r.labels!.length).toBe(r.numRows);
  expect(Array.isArray(r.columnNames)).toBe(true);
}

/** Parses and checks: 'ok' (consistent) or 'DataFormatError' (with a line); anything else fails the test. */
function parseChecked(text: string, options: CsvOptions): 'ok' | 'DataFormatError' {
  let r: CsvData;
  try {
    r = parseCsv(text, { ...options, file: 'fuzz.csv' });
  } catch (e) {
    if (!(e instanceof DataFormatError)) throw e;
    expect(e.message).toMatch(/^fuzz\.csv, line \d+/);
    count('DataFormatError');
    return 'DataFormatError';
  }
  expectConsistent(r, options);
  count('ok');
  return 'ok';
}

/** The rows of a text, as the lines between newlines (the fixtures hold no quoted newlines). */
const rowsOf = (text: string): string[] => text.split(/\r?\n/).filter((l) => l.trim() !== '');

/** Characters that matter to a CSV parser, plus some that never should. */
const special = fc.constantFrom(
  '"',
  ',',
  '\n',
  '\r',
  '\r\n',
  '""',
  '\uFEFF',
  '\0',
  ' ',
  'e',
  '-',
  '.',
  'NaN',
  '\uFFFD',
);

describe('the CSV reader on mutated real files', () => {
  it('a truncation at every offset either fails naming a line or yields a prefix of the rows', () => {
    for (const { text, options } of texts.slice(0, 1)) {
      const full = parseCsv(text, options);
      const width = full.columnNames.length;
      for (let cut = 0; cut < text.length; cut++) {
        const part = text.slice(0, cut);
        if (parseChecked(part, options) === 'DataFormatError') continue;
        const r = parseCsv(part, options);
        // CSV has no length field: a cut inside the last number can shorten it ("5.1" to "5."), but every
        // earlier row must come back unchanged and no row may appear that the file did not hold.
        expect(r.numRows).toBeLessThanOrEqual(full.numRows);
        const complete = Math.max(0, r.numRows - 1) * width;
        expect([...r.values.subarray(0, complete)]).toEqual([...full.values.subarray(0, complete)]);
        expect(rowsOf(part).length).toBeLessThanOrEqual(r.numRows + 1);
      }
    }
  });

  it(`characters inserted, deleted or replaced anywhere give a DataFormatError or a consistent table (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.nat({ max: texts.length - 1 }),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, maxExcluded: true }),
            fc.constantFrom('insert', 'delete', 'replace'),
            special,
          ),
          { minLength: 1, maxLength: 6 },
        ),
        (f, edits) => {
          let text = texts[f]!.text;
          for (const [x, kind, c] of edits) {
            const i = Math.floor(x * text.length);
            if (kind === 'insert') text = text.slice(0, i) + c + text.slice(i);
            else if (kind === 'delete') text = text.slice(0, i) + text.slice(i + 1);
            else text = text.slice(0, i) + c + text.slice(i + 1);
          }
          parseChecked(text, texts[f]!.options);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`flipped bytes (invalid UTF-8 included) through loadCsv give a DataFormatError or a consistent table (${RUNS} runs)`, async () => {
    const bytes = new TextEncoder().encode(texts[0]!.text);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        async (flips) => {
          const b = bytes.slice();
          for (const [i, mask] of flips) b[i]! ^= mask;
          try {
            expectConsistent(await loadCsv(b, texts[0]!.options), texts[0]!.options);
            count('ok');
          } catch (e) {
            if (!(e instanceof DataFormatError)) throw e;
            count('DataFormatError');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('columns named __proto__, constructor or toString are ordinary columns, selectable by name', () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'label'];
    const body = rowsOf(texts[0]!.text).slice(1, 21).join('\n');
    const text = `${names.join(',')}\n${body}\n`;
    for (const labelColumn of names) {
      const r = parseCsv(text, { labelColumn, labelDtype: 'float32' });
      expect(r.numRows).toBe(20);
      expect(r.labelName).toBe(labelColumn);
      expect(r.columnNames).toEqual(names.filter((n) => n !== labelColumn));
      const byName = parseCsv(text, {
        columns: ['constructor', '__proto__'],
        labelDtype: 'float32',
        labelColumn,
      });
      expect(byName.columnNames).toEqual(['constructor', '__proto__']);
    }
    expect(() => parseCsv(text, { columns: ['prototype'] })).toThrow(DataFormatError);
    expect(Reflect.ownKeys(Object.prototype).length).toBe(protoKeys);
  });

  it('a quote opened and never closed fails naming its line, even in a large file', () => {
    const text = `${texts[0]!.text}"${'1,2,3\n'.repeat(20_000)}`;
    expect(() => parseCsv(text, texts[0]!.options)).toThrow(/line 152, column 1: unterminated quoted field/);
  });
});
