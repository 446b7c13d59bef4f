// float32 predicates (bool results, one byte per element) and select: the compare/where pair that relu's and
// maximum's gradients run every training step. Strides are 0 (one broadcast element) or 1, as in `binary`.

// @inline
function cmpV(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case 0:
      return f32x4.eq(x, y);
    case 1:
      return f32x4.ne(x, y);
    case 2:
      return f32x4.lt(x, y);
    case 3:
      return f32x4.le(x, y);
    case 4:
      return f32x4.gt(x, y);
    default:
      return f32x4.ge(x, y);
  }
}

// @inline
function cmpS(op: i32, x: f32, y: f32): u8 {
  switch (op) {
    case 0:
      return <u8>(x == y);
    case 1:
      return <u8>(x != y);
    case 2:
      return <u8>(x < y);
    case 3:
      return <u8>(x <= y);
    case 4:
      return <u8>(x > y);
    default:
      return <u8>(x >= y);
  }
}

/**
 * out[i] = a[i·sa] op b[i·sb] as 0/1 bytes, for i < n. op: 0 equal, 1 notEqual, 2 less, 3 lessEqual, 4 greater,
 * 5 greaterEqual (IEEE: every comparison with NaN is false except notEqual).
 */
export function compare(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  const n16 = n & ~15;
  const one = i8x16.splat(1);
  const xa = v128.load32_splat(a);
  const yb = v128.load32_splat(b);
  let i = 0;
  for (; i < n16; i += 16) {
    const o = (<usize>i) << 2;
    const a0 = sa != 0 ? v128.load(a + o) : xa;
    const a1 = sa != 0 ? v128.load(a + o, 16) : xa;
    const a2 = sa != 0 ? v128.load(a + o, 32) : xa;
    const a3 = sa != 0 ? v128.load(a + o, 48) : xa;
    const b0 = sb != 0 ? v128.load(b + o) : yb;
    const b1 = sb != 0 ? v128.load(b + o, 16) : yb;
    const b2 = sb != 0 ? v128.load(b + o, 32) : yb;
    const b3 = sb != 0 ? v128.load(b + o, 48) : yb;
    // Masks are 0 or −1 per lane; narrowing keeps them 0/−1, and `and 1` turns them into bool bytes.
    const lo = i16x8.narrow_i32x4_s(cmpV(op, a0, b0), cmpV(op, a1, b1));
    const hi = i16x8.narrow_i32x4_s(cmpV(op, a2, b2), cmpV(op, a3, b3));
    v128.store(out + <usize>i, v128.and(i8x16.narrow_i16x8_s(lo, hi), one));
  }
  for (; i < n; i++) {
    const x = load<f32>(a + ((<usize>(i * sa)) << 2));
    const y = load<f32>(b + ((<usize>(i * sb)) << 2));
    store<u8>(out + <usize>i, cmpS(op, x, y));
  }
}

/** out[i] = c[i·sc] ? a[i·sa] : b[i·sb] for float32 a, b and 0/1-byte c, i < n. */
export function select(c: usize, sc: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  const n4 = n & ~3;
  const xa = v128.load32_splat(a);
  const yb = v128.load32_splat(b);
  const cs = i32x4.splat(load<u8>(c) != 0 ? -1 : 0);
  let i = 0;
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    let m = cs;
    if (sc != 0) {
      const bytes = v128.load32_zero(c + <usize>i);
      m = i32x4.ne(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes)), i32x4.splat(0));
    }
    const x = sa != 0 ? v128.load(a + o) : xa;
    const y = sb != 0 ? v128.load(b + o) : yb;
    v128.store(out + o, v128.bitselect(x, y, m));
  }
  for (; i < n; i++) {
    const take = load<u8>(c + <usize>(i * sc)) != 0;
    const x = load<f32>(a + ((<usize>(i * sa)) << 2));
    const y = load<f32>(b + ((<usize>(i * sb)) << 2));
    store<f32>(out + ((<usize>i) << 2), take ? x : y);
  }
}

/** out[i] = x[i·sx] for 4-byte elements, i < n, sx ∈ {0, 1}: one run of a broadcast (a copy, or one element splat). */
export function broadcastRun(x: usize, sx: i32, out: usize, n: i32): void {
  if (sx != 0) {
    memory.copy(out, x, (<usize>n) << 2);
    return;
  }
  const v = v128.load32_splat(x);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) v128.store(out + ((<usize>i) << 2), v);
  for (; i < n; i++) store<u32>(out + ((<usize>i) << 2), load<u32>(x));
}
