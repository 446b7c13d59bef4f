/**
 * Typed errors. Every message names the op, the shapes or values involved, and what was expected, so a user can
 * fix the call without reading our source.
 */
/** Base class of every error core-tensor throws; `name` is the subclass name. */
export class BackpropError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that cannot work together: rank, broadcasting, sizes, reshape targets. */
export class ShapeError extends BackpropError {}

/** A dtype the op does not accept, or two dtypes that do not combine. */
export class DTypeError extends BackpropError {}

/** An axis outside `[-rank, rank)` or repeated. */
export class AxisError extends BackpropError {}

/** An argument with a value the op cannot use (a negative size, a non-integer count, an unknown option). */
export class ArgumentError extends BackpropError {}

/** Use of a disposed tensor, or of something not set up (an unknown backend). */
export class StateError extends BackpropError {}

/** A backend could not allocate a tensor's storage: its memory is full (dispose tensors, or use smaller batches). */
export class OutOfMemoryError extends BackpropError {}
