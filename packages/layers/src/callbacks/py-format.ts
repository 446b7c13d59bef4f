/**
 * Python's `f"{v:.Nf}"` and `f"{v:.Ne}"`, so the progress bar prints exactly what Keras prints. JavaScript's
 * `toFixed` / `toExponential` differ from Python in three ways: ties round half away from zero instead of half to
 * even (Python: `f"{2.5:.0f}"` is `2`), the exponent has no padding (`1.2e-4` against `1.2000e-04`), and
 * NaN / ±Infinity / −0 are spelled differently.
 */

/** `v` as m·2^e with m an integer (exact for every finite double). */
function dyadic(v: number): { m: bigint; e: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(v));
  const bits = buf.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return exp === 0 ? { m: frac, e: -1074 } : { m: frac | (1n << 52n), e: exp - 1075 };
}

/** True when |v|·10^scale lies exactly halfway between two integers. */
function isTie(v: number, scale: number): boolean {
  const { m, e } = dyadic(v);
  // |v|·10^scale·2 = m·2^(e+1)·10^scale must be an odd integer.
  let num = m * (e + 1 >= 0 ? 1n << BigInt(e + 1) : 1n);
  let den = e + 1 < 0 ? 1n << BigInt(-(e + 1)) : 1n;
  if (scale >= 0) num *= 10n ** BigInt(scale);
  else den *= 10n ** BigInt(-scale);
  return num % den === 0n && (num / den) % 2n === 1n;
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return undefined;
}

function sign(v: number): string {
  return v < 0 || Object.is(v, -0) ? '-' : '';
}

/** Python's `f"{v:.{digits}f}"`. */
export function pyFixed(v: number, digits: number): string {
  const s = special(v);
  if (s) return s;
  const a = Math.abs(v);
  // toFixed switches to exponent notation from 1e21; every double that large is an integer.
  if (a >= 1e21) return sign(v) + BigInt(a).toString() + (digits > 0 ? '.' + '0'.repeat(digits) : '');
  let text = a.toFixed(digits);
  if (isTie(a, digits)) {
    // JavaScript rounded the tie up; Python keeps the even neighbour.
    const n = BigInt(text.replace('.', ''));
    if (n % 2n === 1n) {
      const down = (n - 1n).toString().padStart(digits + 1, '0');
      text = digits > 0 ? `${down.slice(0, -digits)}.${down.slice(-digits)}` : down;
    }
  }
  return sign(v) + text;
}

/** Python's `f"{v:.{digits}e}"`: `1.2000e-04`, `0.0000e+00`. */
export function pyExp(v: number, digits: number): string {
  const s = special(v);
  if (s) return s;
  const a = Math.abs(v);
  const parts = a.toExponential(digits).split('e') as [string, string];
  let mant = parts[0];
  let e = Number(parts[1]);
  if (a !== 0 && isTie(a, digits - e)) {
    const n = BigInt(mant.replace('.', ''));
    if (n % 2n === 1n) {
      const down = (n - 1n).toString();
      mant = digits > 0 ? `${down[0]}.${down.slice(1)}` : down;
    }
  }
  if (a === 0) e = 0;
  const es = `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return `${sign(v)}${mant}e${es}`;
}

/** Python's `"%d" % v` for a non-negative float: truncation. */
export function pyInt(v: number): string {
  return String(Math.trunc(v));
}
