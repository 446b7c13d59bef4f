import { getBackend } from '../backend';
import { promoteTypes } from '../dtype';
import { op } from '../dispatch';
import { DTypeError, ShapeError } from '../errors';
import { broadcastShapes, fmtShape } from '../shape';
import type { Tensor } from '../tensor';
import type { TensorLike } from './create';
import { cast, mul } from './elementwise';
import { reshape } from './movement';
import { makeTensor, toTensor } from './util';

/** Options of `matmul`: use an operand transposed (its last two axes swapped) without materializing it. */
export interface MatmulOptions {
  /** Use aᵀ (swap a's last two axes) without materializing it. */
  transposeA?: boolean;
  /** Use bᵀ (swap b's last two axes) without materializing it. */
  transposeB?: boolean;
}

/**
 * Matrix product over the last two axes, with NumPy broadcasting of the leading (batch) axes.
 * A 1-D operand is treated as a row (a) or column (b) vector and that axis is dropped from the result.
 * `a [2,3] · b [4,5]` fails with `matmul: inner dimensions differ: a [2,3] · b [4,5] (3 ≠ 4)`.
 */
export function matmul(a: TensorLike, b: TensorLike, options: MatmulOptions = {}): Tensor {
  const x = toTensor(a);
  const y = toTensor(b);
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  return op('matmul', [x, y], { transposeA, transposeB }, () => {
    if (x.rank === 0 || y.rank === 0) {
      throw new ShapeError(
        `matmul: operands must have rank ≥ 1, got a ${fmtShape(x.shape)} and b ${fmtShape(y.shape)}`,
      );
    }
    if (x.dtype === 'bool' || y.dtype === 'bool')
      throw new DTypeError(`matmul: bool operands are not supported`);
    const a2 = x.rank === 1 ? reshape(x, [1, x.shape[0]!]) : x;
    const b2 = y.rank === 1 ? reshape(y, [y.shape[0]!, 1]) : y;
    const ra = a2.rank;
    const rb = b2.rank;
    const M = a2.shape[transposeA ? ra - 1 : ra - 2]!;
    const Ka = a2.shape[transposeA ? ra - 2 : ra - 1]!;
    const Kb = b2.shape[transposeB ? rb - 1 : rb - 2]!;
    const N = b2.shape[transposeB ? rb - 2 : rb - 1]!;
    if (Ka !== Kb) {
      const ta = transposeA ? 'ᵀ' : '';
      const tb = transposeB ? 'ᵀ' : '';
      throw new ShapeError(
        `matmul: inner dimensions differ: a${ta} ${fmtShape(x.shape)} · b${tb} ${fmtShape(y.shape)} (${Ka} ≠ ${Kb})`,
      );
    }
    const batch = broadcastShapes('matmul (batch dimensions)', a2.shape.slice(0, -2), b2.shape.slice(0, -2));
    const dtype = promoteTypes(x.dtype, y.dtype);
    const ac = a2.dtype === dtype ? a2 : cast(a2, dtype);
    const bc = b2.dtype === dtype ? b2 : cast(b2, dtype);
    const outShape = [...batch, M, N];
    const out = makeTensor(
      getBackend().matmul(ac.info(), bc.info(), transposeA, transposeB, outShape),
      outShape,
      dtype,
    );
    if (x.rank === 1 && y.rank === 1) return reshape(out, []);
    if (x.rank === 1) return reshape(out, [...batch, N]);
    if (y.rank === 1) return reshape(out, [...batch, M]);
    return out;
  });
}

/**
 * Inner product of two vectors, or matmul for matrices (operands of rank 1 or 2). Validated under its own name:
 * `dot: inner dimensions differ: a [3] · b [4] (3 ≠ 4)`.
 */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  const x = toTensor(a);
  const y = toTensor(b);
  return op('dot', [x, y], {}, () => {
    if (x.rank < 1 || x.rank > 2 || y.rank < 1 || y.rank > 2) {
      throw new ShapeError(
        `dot: operands must have rank 1 or 2, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)} (use matmul)`,
      );
    }
    if (x.dtype === 'bool' || y.dtype === 'bool')
      throw new DTypeError(`dot: bool operands are not supported`);
    const ka = x.shape[x.rank - 1]!;
    const kb = y.shape[0]!;
    if (ka !== kb) {
      throw new ShapeError(
        `dot: inner dimensions differ: a ${fmtShape(x.shape)} · b ${fmtShape(y.shape)} (${ka} ≠ ${kb})`,
      );
    }
    return matmul(x, y);
  });
}

/** Outer product of two vectors: out[i, j] = a[i]·b[j]. */
export function outer(a: TensorLike, b: TensorLike): Tensor {
  const x = toTensor(a);
  const y = toTensor(b);
  return op('outer', [x, y], {}, () => {
    if (x.rank !== 1 || y.rank !== 1) {
      throw new ShapeError(
        `outer: operands must be vectors, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`,
      );
    }
    return mul(reshape(x, [x.size, 1]), reshape(y, [1, y.size]));
  });
}
