import type { BackendData, FusedActivation, FusedKernels, TensorInfo } from '../../backend';
import { sizeOf } from '../../shape';
import type { WasmContext } from './context';
import { ptrOf } from './context';

const ACT_CODE: Record<FusedActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };

const f32 = (...xs: (TensorInfo | null)[]): boolean => xs.every((x) => !x || x.dtype === 'float32');

/**
 * The wasm backend's fused kernels beyond softmax (float32 only; other dtypes decline and the op composes):
 * matmul + bias + activation (GEMM, then a SIMD epilogue over each row while the product is in cache), softmax
 * cross-entropy with dense or sparse labels (one pass per row, no log-probability matrix), and the SGD and Adam
 * updates (one pass, no temporaries).
 */
export function fusedKernels(ctx: WasmContext): FusedKernels {
  const { k } = ctx;
  return {
    matMulBiasAct(a, b, bias, activation): BackendData | undefined {
      if (!f32(a, b, bias)) return undefined;
      const [M, K] = a.shape as [number, number];
      const N = b.shape[1]!;
      const out = ctx.alloc('float32', M * N);
      if (M * N === 0) return out;
      ctx.gemm(M, N, K, ptrOf(a), K, 1, ptrOf(b), N, 1, out.ptr, N);
      if (bias || activation !== 'linear')
        k.biasAct(out.ptr, bias ? ptrOf(bias) : 0, M, N, ACT_CODE[activation]);
      return out;
    },
    softmaxCrossEntropy(labels, logits): BackendData | undefined {
      if (!f32(labels, logits)) return undefined;
      const len = logits.shape[logits.shape.length - 1]!;
      const rows = sizeOf(logits.shape.slice(0, -1));
      const out = ctx.alloc('float32', rows);
      if (rows > 0 && len > 0) k.softmaxXent(ptrOf(logits), ptrOf(labels), out.ptr, rows, len);
      else new Float32Array(k.memory.buffer, out.ptr, rows).fill(0);
      return out;
    },
    sparseSoftmaxCrossEntropy(labels, logits): BackendData | undefined {
      const len = logits.shape[logits.shape.length - 1]!;
      if (!f32(logits) || len === 0) return undefined;
      const rows = sizeOf(logits.shape.slice(0, -1));
      const out = ctx.alloc('float32', rows);
      if (rows > 0) k.sparseSoftmaxXent(ptrOf(logits), ptrOf(labels), out.ptr, rows, len);
      return out;
    },
    sgdUpdate(
      value,
      gradient,
      velocity,
      lr,
      momentum,
      nesterov,
    ): [BackendData, BackendData | null] | undefined {
      if (!f32(value, gradient, velocity)) return undefined;
      const n = sizeOf(value.shape);
      const w = ctx.alloc('float32', n);
      const v = velocity ? ctx.alloc('float32', n) : null;
      if (n > 0) {
        k.sgdUpdate(
          ptrOf(value),
          ptrOf(gradient),
          velocity ? ptrOf(velocity) : 0,
          w.ptr,
          v ? v.ptr : 0,
          n,
          lr,
          momentum,
          nesterov ? 1 : 0,
        );
      }
      return [w, v];
    },
    adamUpdate(
      value,
      gradient,
      m,
      v,
      alpha,
      beta1,
      beta2,
      epsilon,
    ): [BackendData, BackendData, BackendData] | undefined {
      if (!f32(value, gradient, m, v)) return undefined;
      const n = sizeOf(value.shape);
      const w = ctx.alloc('float32', n);
      const nm = ctx.alloc('float32', n);
      const nv = ctx.alloc('float32', n);
      if (n > 0) {
        ctx.adam(
          ptrOf(value),
          ptrOf(gradient),
          ptrOf(m),
          ptrOf(v),
          w.ptr,
          nm.ptr,
          nv.ptr,
          n,
          alpha,
          1 - beta1,
          1 - beta2,
          epsilon,
        );
      }
      return [w, nm, nv];
    },
  };
}
