// 2-D max / average pooling over NHWC float32 and its gradient, four channels per vector. Semantics are the js
// reference's: padded cells never count, max keeps the first maximum of a window (NaN sticks once seen), average
// divides a float64 sum by the number of real cells.

// Geometry, set once per call by poolGeometry (too many scalars for one signature).
let gN: i32 = 0,
  gH: i32 = 0,
  gW: i32 = 0,
  gC: i32 = 0,
  gOH: i32 = 0,
  gOW: i32 = 0,
  gKH: i32 = 0,
  gKW: i32 = 0,
  gSH: i32 = 0,
  gSW: i32 = 0,
  gPT: i32 = 0,
  gPL: i32 = 0;

/** Sets the geometry the next pool2d / pool2dBackprop call uses. */
export function poolGeometry(
  n: i32,
  h: i32,
  w: i32,
  c: i32,
  oh: i32,
  ow: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  pt: i32,
  pl: i32,
): void {
  gN = n;
  gH = h;
  gW = w;
  gC = c;
  gOH = oh;
  gOW = ow;
  gKH = kh;
  gKW = kw;
  gSH = sh;
  gSW = sw;
  gPT = pt;
  gPL = pl;
}

// @inline
function takeV(v: v128, best: v128): v128 {
  // v > best, or v is NaN while best is not: the reference's "first maximum, NaN sticks" rule.
  return v128.or(f32x4.gt(v, best), v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
}

/** out = pool(x) with the geometry set by poolGeometry; kind 0 max, 1 average. */
export function pool2d(x: usize, out: usize, kind: i32): void {
  const C = gC;
  const c4 = C & ~3;
  for (let n = 0; n < gN; n++) {
    for (let oy = 0; oy < gOH; oy++) {
      const y0 = oy * gSH - gPT;
      const ky0 = max<i32>(0, -y0);
      const ky1 = min<i32>(gKH, gH - y0);
      for (let ox = 0; ox < gOW; ox++) {
        const x0 = ox * gSW - gPL;
        const kx0 = max<i32>(0, -x0);
        const kx1 = min<i32>(gKW, gW - x0);
        const count = max<i32>(0, ky1 - ky0) * max<i32>(0, kx1 - kx0);
        const dst = out + ((<usize>(((n * gOH + oy) * gOW + ox) * C)) << 2);
        let c = 0;
        for (; c < c4; c += 4) {
          let best = f32x4.splat(-Infinity);
          let s0 = f64x2.splat(0),
            s1 = f64x2.splat(0);
          for (let ky = ky0; ky < ky1; ky++) {
            const rowBase = ((n * gH + y0 + ky) * gW + x0) * C + c;
            for (let kx = kx0; kx < kx1; kx++) {
              const v = v128.load(x + ((<usize>(rowBase + kx * C)) << 2));
              if (kind == 0) {
                best = v128.bitselect(v, best, takeV(v, best));
              } else {
                s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
                s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
              }
            }
          }
          if (kind == 0) {
            v128.store(dst + ((<usize>c) << 2), best);
          } else {
            const d = f64x2.splat(<f64>count);
            const lo = f32x4.demote_f64x2_zero(f64x2.div(s0, d));
            const hi = f32x4.demote_f64x2_zero(f64x2.div(s1, d));
            v128.store(dst + ((<usize>c) << 2), v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
          }
        }
        for (; c < C; c++) {
          let best: f32 = -Infinity;
          let sum: f64 = 0;
          for (let ky = ky0; ky < ky1; ky++) {
            const rowBase = ((n * gH + y0 + ky) * gW + x0) * C + c;
            for (let kx = kx0; kx < kx1; kx++) {
              const v = load<f32>(x + ((<usize>(rowBase + kx * C)) << 2));
              if (v > best || (v != v && best == best)) best = v;
              sum += <f64>v;
            }
          }
          store<f32>(dst + ((<usize>c) << 2), kind == 0 ? best : <f32>(sum / <f64>count));
        }
      }
    }
  }
}

/**
 * dx (zeroed here) from dy and x with the geometry set by poolGeometry; kind 0 max (dy to each window's first
 * maximum), 1 average (dy / count to each real cell). Float32 accumulation: windows that overlap add in float32.
 */
export function pool2dBackprop(dy: usize, x: usize, dx: usize, kind: i32): void {
  const C = gC;
  const c4 = C & ~3;
  memory.fill(dx, 0, (<usize>(gN * gH * gW * C)) << 2);
  for (let n = 0; n < gN; n++) {
    for (let oy = 0; oy < gOH; oy++) {
      const y0 = oy * gSH - gPT;
      const ky0 = max<i32>(0, -y0);
      const ky1 = min<i32>(gKH, gH - y0);
      for (let ox = 0; ox < gOW; ox++) {
        const x0 = ox * gSW - gPL;
        const kx0 = max<i32>(0, -x0);
        const kx1 = min<i32>(gKW, gW - x0);
        if (ky1 <= ky0 || kx1 <= kx0) continue;
        const count = (ky1 - ky0) * (kx1 - kx0);
        const g = dy + ((<usize>(((n * gOH + oy) * gOW + ox) * C)) << 2);
        let c = 0;
        if (kind == 1) {
          for (; c < c4; c += 4) {
            const share = f32x4.div(v128.load(g + ((<usize>c) << 2)), f32x4.splat(<f32>count));
            for (let ky = ky0; ky < ky1; ky++) {
              const rowBase = ((n * gH + y0 + ky) * gW + x0) * C + c;
              for (let kx = kx0; kx < kx1; kx++) {
                const p = dx + ((<usize>(rowBase + kx * C)) << 2);
                v128.store(p, f32x4.add(v128.load(p), share));
              }
            }
          }
          for (; c < C; c++) {
            const share = load<f32>(g + ((<usize>c) << 2)) / <f32>count;
            for (let ky = ky0; ky < ky1; ky++) {
              const rowBase = ((n * gH + y0 + ky) * gW + x0) * C + c;
              for (let kx = kx0; kx < kx1; kx++) {
                const p = dx + ((<usize>(rowBase + kx * C)) << 2);
                store<f32>(p, load<f32>(p) + share);
              }
            }
          }
          continue;
        }
        for (; c < c4; c += 4) {
          // The first real cell starts as the best, as in the reference (bestAt < 0 takes anything).
          const first = ((n * gH + y0 + ky0) * gW + x0 + kx0) * C + c;
          let best = v128.load(x + ((<usize>first) << 2));
          let at = i32x4.add(i32x4.splat(first), i32x4(0, 1, 2, 3));
          for (let ky = ky0; ky < ky1; ky++) {
            const rowBase = ((n * gH + y0 + ky) * gW + x0) * C + c;
            for (let kx = kx0; kx < kx1; kx++) {
              const idx = rowBase + kx * C;
              const v = v128.load(x + ((<usize>idx) << 2));
              const take = takeV(v, best);
              best = v128.bitselect(v, best, take);
              at = v128.bitselect(i32x4.add(i32x4.splat(idx), i32x4(0, 1, 2, 3)), at, take);
            }
          }
          const gv = v128.load(g + ((<usize>c) << 2));
          let p = dx + ((<usize>i32x4.extract_lane(at, 0)) << 2);
          store<f32>(p, load<f32>(p) + f32x4.extract_lane(gv, 0));
          p = dx + ((<usize>i32x4.extract_lane(at, 1)) << 2);
          store<f32>(p, load<f32>(p) + f32x4.extract_lane(gv, 1));
          p = dx + ((<usize>i32x4.extract_lane(at, 2)) << 2);
          store<f32>(p, load<f32>(p) + f32x4.extract_lane(gv, 2));
          p = dx + ((<usize>i32x4.extract_lane(at, 3)) << 2);
          store<f32>(p, load<f32>(p) + f32x4.extract_lane(gv, 3));
        }
        for (; c < C; c++) {
          let bestAt = ((n * gH + y0 + ky0) * gW + x0 + kx0) * C + c;
          let best = load<f32>(x + ((<usize>bestAt) << 2));
          for (let ky = ky0; ky < ky1; ky++) {
            const rowBase = ((n * gH + y0 + ky) * gW + x0) * C + c;
            for (let kx = kx0; kx < kx1; kx++) {
              const idx = rowBase + kx * C;
              const v = load<f32>(x + ((<usize>idx) << 2));
              if (v > best || (v != v && best == best)) {
                best = v;
                bestAt = idx;
              }
            }
          }
          const p = dx + ((<usize>bestAt) << 2);
          store<f32>(p, load<f32>(p) + load<f32>(g + ((<usize>c) << 2)));
        }
      }
    }
  }
}
