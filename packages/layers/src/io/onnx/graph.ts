import { ATTRIBUTE_TYPE, ONNX_DTYPE } from './schema';

/** An attribute value, tagged with its ONNX type (ONNX distinguishes 1 from 1.0). */
export type Attr = { i: number } | { f: number } | { ints: number[] } | { floats: number[] } | { s: string };

/** Plain objects in the shape of the onnx.* messages, for protobufjs to encode. */
export interface NodeMessage {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute: Record<string, unknown>[];
}

export interface TensorMessage {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

function attribute(name: string, value: Attr): Record<string, unknown> {
  if ('i' in value) return { name, type: ATTRIBUTE_TYPE.INT, i: value.i };
  if ('f' in value) return { name, type: ATTRIBUTE_TYPE.FLOAT, f: value.f };
  if ('ints' in value) return { name, type: ATTRIBUTE_TYPE.INTS, ints: value.ints };
  if ('floats' in value) return { name, type: ATTRIBUTE_TYPE.FLOATS, floats: value.floats };
  return { name, type: ATTRIBUTE_TYPE.STRING, s: new TextEncoder().encode(value.s) };
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Collects nodes and initializers with unique value names, in topological order (the order they are added). */
export class GraphBuilder {
  readonly nodes: NodeMessage[] = [];
  readonly initializers: TensorMessage[] = [];
  readonly #names = new Set<string>();

  /** `base`, or `base_1`, `base_2`, … if taken. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.#names.has(name); i++) name = `${base}_${i}`;
    this.#names.add(name);
    return name;
  }

  /** Reserves a name chosen elsewhere (the graph input). */
  reserve(name: string): string {
    this.#names.add(name);
    return name;
  }

  /** A float32 constant (a weight, or a scalar like 0.5). */
  float(name: string, dims: readonly number[], data: Float32Array | readonly number[]): string {
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    return this.#constant(name, dims, ONNX_DTYPE.FLOAT, values);
  }

  /** An int64 constant (shapes, for Reshape). */
  int64(name: string, dims: readonly number[], data: readonly number[]): string {
    return this.#constant(name, dims, ONNX_DTYPE.INT64, BigInt64Array.from(data.map(BigInt)));
  }

  #constant(name: string, dims: readonly number[], dataType: number, data: ArrayBufferView): string {
    const unique = this.fresh(name);
    // raw_data is little-endian by the spec, as typed arrays are on every platform we run on.
    this.initializers.push({ name: unique, dims: [...dims], dataType, rawData: bytesOf(data).slice() });
    return unique;
  }

  /** Adds a node with one output, named after `name`; returns the output's name. */
  node(opType: string, inputs: string[], name: string, attrs: Record<string, Attr> = {}): string {
    const nodeName = this.fresh(name);
    const output = this.fresh(`${nodeName}:0`);
    this.nodes.push({
      name: nodeName,
      opType,
      input: inputs,
      output: [output],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }
}
