import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFormatError, loadCsv, parseCsv } from '../src/index';
import { SHARED_DATA, hasShared, list } from './helpers';

function errorOf(fn: () => unknown): DataFormatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataFormatError) return e;
    throw e;
  }
  throw new Error('expected a DataFormatError');
}

const tmp = mkdtempSync(join(tmpdir(), 'backprop-csv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('parseCsv', () => {
  it('reads a header and numeric rows into row-major float32 values', () => {
    const out = parseCsv('a,b,c\n1,2,3\n4.5,-6e2,.25\n');
    expect(out.columnNames).toEqual(['a', 'b', 'c']);
    expect(out.numRows).toBe(2);
    expect(out.values).toBeInstanceOf(Float32Array);
    expect(list(out.values)).toEqual([1, 2, 3, 4.5, -600, 0.25]);
  });

  it('selects and reorders columns by name or index, and splits off an int32 label column', () => {
    const text = 'id,x,y,label\n10,1,2,0\n11,3,4,2\n';
    const out = parseCsv(text, { columns: ['y', 1], labelColumn: 'label' });
    expect(out.columnNames).toEqual(['y', 'x']);
    expect(list(out.values)).toEqual([2, 1, 4, 3]);
    expect(out.labels).toBeInstanceOf(Int32Array);
    expect(list(out.labels!)).toEqual([0, 2]);
    expect(out.labelName).toBe('label');
    // Without `columns`, every column but the label is kept.
    expect(parseCsv(text, { labelColumn: 3 }).columnNames).toEqual(['id', 'x', 'y']);
  });

  it('only parses the kept columns, so others may hold text', () => {
    const out = parseCsv('name,score\nann,1.5\nbob,2\n', { columns: ['score'] });
    expect(list(out.values)).toEqual([1.5, 2]);
  });

  it('handles quotes (with delimiters, doubled quotes and newlines inside), CRLF, a BOM and blank lines', () => {
    const text = '\uFEFF"a,1","b""q"\r\n"1",2\r\n\r\n"3","4"\r\n';
    const out = parseCsv(text);
    expect(out.columnNames).toEqual(['a,1', 'b"q']);
    expect(list(out.values)).toEqual([1, 2, 3, 4]);
    const multi = parseCsv('note,x\n"two\nlines",5\n"7",6\n', { columns: ['x'] });
    expect(list(multi.values)).toEqual([5, 6]);
  });

  it('no header: columns are named by index; skipRows, comments, delimiter, float64 and Infinity/NaN', () => {
    const text = '150,4,setosa\n# a comment\n1;2\n3;Infinity\n-inf;NaN\n';
    const out = parseCsv(text, {
      header: false,
      skipRows: 1,
      comment: '#',
      delimiter: ';',
      dtype: 'float64',
    });
    expect(out.columnNames).toEqual(['0', '1']);
    expect(out.values).toBeInstanceOf(Float64Array);
    expect(list(out.values)).toEqual([1, 2, 3, Infinity, -Infinity, NaN]);
  });

  it('empty fields are an error unless missingValue is given', () => {
    expect(list(parseCsv('a,b\n1,\n', { missingValue: NaN }).values)).toEqual([1, NaN]);
    const e = errorOf(() => parseCsv('a,b\n1,\n', { file: 'm.csv' }));
    expect(e.message).toBe(
      "m.csv, line 2, column 2: empty field in column 'b' (set missingValue to accept empty fields)",
    );
  });

  it('a field that is not a number names the file, line, column and value', () => {
    const e = errorOf(() => parseCsv('x,y\n1,2\n3,4\n5,abc\n', { file: 'data.csv' }));
    expect(e.file).toBe('data.csv');
    expect(e.line).toBe(4);
    expect(e.column).toBe(2);
    expect(e.message).toBe(`data.csv, line 4, column 2: "abc" in column 'y' is not a number`);
    // Hex, spaces inside numbers and stray characters after a quote are not numbers either.
    expect(() => parseCsv('x\n0x10\n')).toThrow(/"0x10"/);
    expect(() => parseCsv('x\n1 2\n')).toThrow(/"1 2"/);
    expect(() => parseCsv('x\n"1"2\n')).toThrow(/line 2, column 1: unexpected "2" after a closing quote/);
  });

  it('line numbers count the physical lines (after quoted newlines and skipped blank lines)', () => {
    const e = errorOf(() => parseCsv('a,b\n"x\ny",1\n\n2,z\n', { columns: ['b'] }));
    expect([e.line, e.column]).toEqual([5, 2]);
  });

  it('a row with the wrong number of fields is an error naming the line and the expected count', () => {
    const e = errorOf(() => parseCsv('a,b,c\n1,2,3\n4,5\n', { file: 'f.csv' }));
    expect(e.message).toBe('f.csv, line 3: expected 3 fields (as in the header on line 1), found 2');
  });

  it('an unterminated quote, an unknown column and a non-integer label are errors', () => {
    expect(() => parseCsv('a\n"1\n')).toThrow(/line 2, column 1: unterminated quoted field/);
    expect(() => parseCsv('a,b\n1,2\n', { columns: ['c'] })).toThrow(
      /no column named 'c'; the columns are 'a', 'b'/,
    );
    expect(() => parseCsv('a,y\n1,0.5\n', { labelColumn: 'y' })).toThrow(
      /label 0.5 .* not an integer class id/,
    );
    expect(list(parseCsv('a,y\n1,0.5\n', { labelColumn: 'y', labelDtype: 'float32' }).labels!)).toEqual([
      0.5,
    ]);
  });
});

describe('loadCsv', () => {
  it('reads plain and gzip files and names the file in errors', async () => {
    const text = 'x,label\n1,0\n2,1\n';
    writeFileSync(join(tmp, 'a.csv'), text);
    writeFileSync(join(tmp, 'a.csv.gz'), gzipSync(Buffer.from(text)));
    for (const f of ['a.csv', 'a.csv.gz']) {
      const out = await loadCsv(join(tmp, f), { labelColumn: 'label' });
      expect(list(out.values)).toEqual([1, 2]);
      expect(list(out.labels!)).toEqual([0, 1]);
    }
    writeFileSync(join(tmp, 'bad.csv'), 'x\n1\n2\nseven\n');
    await expect(loadCsv(join(tmp, 'bad.csv'))).rejects.toThrow(
      new RegExp(`^${join(tmp, 'bad.csv').replace(/[.\\/]/g, '\\$&')}, line 4, column 1: "seven"`),
    );
  });

  describe.skipIf(!hasShared('small'))('the real scikit-learn files in ../shared/data/small', () => {
    it('iris.csv: 150 rows, 4 features, 50 of each class', async () => {
      const out = await loadCsv(`${SHARED_DATA}/small/iris.csv`, {
        header: false,
        skipRows: 1,
        labelColumn: 4,
      });
      expect(out.numRows).toBe(150);
      expect(out.columnNames).toHaveLength(4);
      const counts = [0, 0, 0];
      out.labels!.forEach((c) => counts[c]!++);
      expect(counts).toEqual([50, 50, 50]);
    });

    it('digits.csv.gz: 1797 rows of 64 pixels in 0..16, labels as the data README gives them', async () => {
      const out = await loadCsv(`${SHARED_DATA}/small/digits.csv.gz`, { header: false, labelColumn: 64 });
      expect(out.numRows).toBe(1797);
      expect(Math.max(...out.values)).toBe(16);
      const counts = new Array<number>(10).fill(0);
      out.labels!.forEach((c) => counts[c]!++);
      expect(counts).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    });

    it('a corrupted copy (one bad field) names its line and column', async () => {
      const lines = readFileSync(`${SHARED_DATA}/small/wine_data.csv`, 'utf8').split('\n');
      lines[100] = lines[100]!.replace(/^([^,]*),([^,]*)/, '$1,1.2.3');
      const path = join(tmp, 'wine-bad.csv');
      writeFileSync(path, lines.join('\n'));
      const e = await loadCsv(path, { header: false, skipRows: 1 }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(DataFormatError);
      expect([(e as DataFormatError).line, (e as DataFormatError).column]).toEqual([101, 2]);
    });
  });
});
