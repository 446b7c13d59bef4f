import { BackpropError } from '@backprop/core-tensor';

/** Why {@link decodeSafetensors} rejected a file (also set when encoding meets invalid input). */
export type SafetensorsErrorReason =
  | 'too-short'
  | 'header-too-large'
  | 'truncated'
  | 'invalid-header'
  | 'header-not-object'
  | 'forbidden-key'
  | 'invalid-metadata'
  | 'invalid-entry'
  | 'invalid-name'
  | 'unknown-dtype'
  | 'unsupported-dtype'
  | 'invalid-shape'
  | 'invalid-offsets'
  | 'size-mismatch'
  | 'out-of-range'
  | 'overlap'
  | 'hole';

/**
 * A safetensors file (or tensor set to encode) that breaks the format. `reason` is a stable code for programs;
 * the message names the tensor and the numbers involved for people.
 * @example
 * try { decodeSafetensors(bytes) } catch (e) { if (e instanceof SafetensorsError && e.reason === 'truncated') … }
 */
export class SafetensorsError extends BackpropError {
  /** The stable code of the problem. */
  readonly reason: SafetensorsErrorReason;

  constructor(reason: SafetensorsErrorReason, message: string) {
    super(`safetensors: ${message}`);
    this.reason = reason;
  }
}

/**
 * A saved model that cannot be loaded as it is: a malformed or foreign `model.json`, weights that do not fit the
 * architecture, a file whose checksum does not match, or a target this environment cannot reach.
 */
export class ModelFormatError extends BackpropError {}
