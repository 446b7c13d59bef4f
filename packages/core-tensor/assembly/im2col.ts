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

/** cols[N·OH·OW, KH·KW·C] from x[N, H, W, C]: every tap's C channels, zeros where a tap falls in the padding. */
export function im2col(x: usize, cols: usize): void {
  const C = cC;
  const tap = (<usize>C) << 2;
  const run = cKW * C;
  let dst = cols;
  for (let b = 0; b < cN; b++) {
    const xb = x + ((<usize>(b * cH * cW * C)) << 2);
    for (let oy = 0; oy < cOH; oy++) {
      for (let ox = 0; ox < cOW; ox++) {
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
            copyF32(dst, row + ((<usize>(ix0 * C)) << 2), run);
            dst += (<usize>run) << 2;
            continue;
          }
          for (let kx = 0; kx < cKW; kx++) {
            const ix = ix0 + kx * cDW;
            if (ix < 0 || ix >= cW) memory.fill(dst, 0, tap);
            else copyF32(dst, row + ((<usize>(ix * C)) << 2), C);
            dst += tap;
          }
        }
      }
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
