// im2col and its adjoint col2im for NHWC input and HWIO filters (see src/backends/wasm/conv.ts for the layout).
// For a stride of one column tap (dilation 1) a filter row's KW taps are KW·C consecutive floats of the input row,
// so each (output pixel, ky) is one contiguous copy — or, in col2im, one contiguous add.

let cN: i32 = 0,
  cH: i32 = 0,
  cW: i32 = 0,
  cC: i32 = 0,
  cKH: i32 = 0,
  cKW: i32 = 0,
  cOH: i32 = 0,
  cOW: i32 = 0,
  cSH: i32 = 0,
  cSW: i32 = 0,
  cDH: i32 = 0,
  cDW: i32 = 0,
  cPT: i32 = 0,
  cPL: i32 = 0;

/** Sets the geometry the next im2col / col2im call uses (too many scalars for one signature). */
export function convGeometry(
  n: i32,
  h: i32,
  w: i32,
  c: i32,
  kh: i32,
  kw: i32,
  oh: i32,
  ow: i32,
  sh: i32,
  sw: i32,
  dh: i32,
  dw: i32,
  pt: i32,
  pl: i32,
): void {
  cN = n;
  cH = h;
  cW = w;
  cC = c;
  cKH = kh;
  cKW = kw;
  cOH = oh;
  cOW = ow;
  cSH = sh;
  cSW = sw;
  cDH = dh;
  cDW = dw;
  cPT = pt;
  cPL = pl;
}

// @inline
function copyF32(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + ((<usize>i) << 2), v128.load(src + ((<usize>i) << 2)));
  for (; i < n; i++) store<f32>(dst + ((<usize>i) << 2), load<f32>(src + ((<usize>i) << 2)));
}

/**
 * copyF32 in whole vectors, writing up to 3 floats past `n`: im2col fills cols front to back, so the next copy or
 * fill overwrites them. Taken only where the vectors stay inside cols (`dstEnd`) and the reads inside memory
 * (`srcEnd`); for a 3×3 filter on one channel a filter row is 3 floats, and the scalar tail would be most of it.
 */
// @inline
function copyF32Over(dst: usize, src: usize, n: i32, dstEnd: usize, srcEnd: usize): void {
  const bytes = (<usize>((n + 3) & ~3)) << 2;
  if (dst + bytes <= dstEnd && src + bytes <= srcEnd) {
    for (let i: usize = 0; i < bytes; i += 16) v128.store(dst + i, v128.load(src + i));
  } else copyF32(dst, src, n);
}

// @inline
function addF32(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const d = dst + ((<usize>i) << 2);
    v128.store(d, f32x4.add(v128.load(d), v128.load(src + ((<usize>i) << 2))));
  }
  for (; i < n; i++) {
    const d = dst + ((<usize>i) << 2);
    store<f32>(d, load<f32>(d) + load<f32>(src + ((<usize>i) << 2)));
  }
}

/** One pixel's row of cols, testing every tap against x's bounds (the border of a padded convolution). */
// @inline
function im2colPixel(xb: usize, oy: i32, ox: i32, dst: usize, end: usize, memEnd: usize): usize {
  const C = cC;
  const tap = (<usize>C) << 2;
  const run = cKW * C;
  const ix0 = ox * cSW - cPL;
  const whole = cDW == 1 && ix0 >= 0 && ix0 + cKW <= cW;
  for (let ky = 0; ky < cKH; ky++) {
    const iy = oy * cSH - cPT + ky * cDH;
    if (iy < 0 || iy >= cH) {
      memory.fill(dst, 0, (<usize>run) << 2);
      dst += (<usize>run) << 2;
      continue;
    }
    const row = xb + ((<usize>(iy * cW * C)) << 2);
    if (whole) {
      copyF32Over(dst, row + ((<usize>(ix0 * C)) << 2), run, end, memEnd);
      dst += (<usize>run) << 2;
      continue;
    }
    for (let kx = 0; kx < cKW; kx++) {
      const ix = ix0 + kx * cDW;
      if (ix < 0 || ix >= cW) memory.fill(dst, 0, tap);
      else copyF32Over(dst, row + ((<usize>(ix * C)) << 2), C, end, memEnd);
      dst += tap;
    }
  }
  return dst;
}

/**
 * cols[N·OH·OW, KH·KW·C] from x[N, H, W, C]: every tap's C channels, zeros where a tap falls in the padding.
 * Output rows whose taps all lie inside x vertically copy their interior pixels without per-tap bounds tests
 * (for a 3×3 filter on one channel those tests were most of the time); border pixels take im2colPixel.
 */
export function im2col(x: usize, cols: usize): void {
  const C = cC;
  const run = cKW * C;
  const end = cols + ((<usize>cN * <usize>cOH * <usize>cOW * <usize>cKH * <usize>run) << 2);
  const memEnd = (<usize>memory.size()) << 16;
  // Interior columns [lo, hi): each window's KW·C floats lie inside x's row (needs dilation 1 to be contiguous).
  let lo = cOW;
  let hi = cOW;
  if (cDW == 1) {
    const span = cW - cKW + cPL; // the last window start that fits, relative to the padding
    lo = min(cOW, (cPL + cSW - 1) / cSW);
    hi = span < 0 ? lo : max(lo, min(cOW, span / cSW + 1));
  }
  const rowStep = (<usize>(cDH * cW * C)) << 2;
  const pixStep = (<usize>(cSW * C)) << 2;
  let dst = cols;
  for (let b = 0; b < cN; b++) {
    const xb = x + ((<usize>(b * cH * cW * C)) << 2);
    for (let oy = 0; oy < cOH; oy++) {
      const iy0 = oy * cSH - cPT;
      if (iy0 < 0 || iy0 + (cKH - 1) * cDH >= cH || lo >= hi) {
        for (let ox = 0; ox < cOW; ox++) dst = im2colPixel(xb, oy, ox, dst, end, memEnd);
        continue;
      }
      for (let ox = 0; ox < lo; ox++) dst = im2colPixel(xb, oy, ox, dst, end, memEnd);
      let src = xb + ((<usize>(iy0 * cW * C + (lo * cSW - cPL) * C)) << 2);
      for (let ox = lo; ox < hi; ox++) {
        let r = src;
        for (let ky = 0; ky < cKH; ky++) {
          copyF32Over(dst, r, run, end, memEnd);
          dst += (<usize>run) << 2;
          r += rowStep;
        }
        src += pixStep;
      }
      for (let ox = hi; ox < cOW; ox++) dst = im2colPixel(xb, oy, ox, dst, end, memEnd);
    }
  }
}

/** The adjoint of im2col: adds each row's taps of cols back into dx[N, H, W, C] (zeroed by the caller). */
export function col2im(cols: usize, dx: usize): void {
  const C = cC;
  const tap = (<usize>C) << 2;
  const run = cKW * C;
  let src = cols;
  for (let b = 0; b < cN; b++) {
    const xb = dx + ((<usize>(b * cH * cW * C)) << 2);
    for (let oy = 0; oy < cOH; oy++) {
      for (let ox = 0; ox < cOW; ox++) {
        const ix0 = ox * cSW - cPL;
        const whole = cDW == 1 && ix0 >= 0 && ix0 + cKW <= cW;
        for (let ky = 0; ky < cKH; ky++) {
          const iy = oy * cSH - cPT + ky * cDH;
          if (iy < 0 || iy >= cH) {
            src += (<usize>run) << 2;
            continue;
          }
          const row = xb + ((<usize>(iy * cW * C)) << 2);
          if (whole) {
            addF32(row + ((<usize>(ix0 * C)) << 2), src, run);
            src += (<usize>run) << 2;
            continue;
          }
          for (let kx = 0; kx < cKW; kx++) {
            const ix = ix0 + kx * cDW;
            if (ix >= 0 && ix < cW) addF32(row + ((<usize>(ix * C)) << 2), src, C);
            src += tap;
          }
        }
      }
    }
  }
}
