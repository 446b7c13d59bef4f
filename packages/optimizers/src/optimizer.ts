import type { Tensor } from '@backprop/core-tensor';
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  StateError,
  isFloatDType,
  keep,
  scope,
  viewAs,
  zerosLike,
} from '@backprop/core-tensor';
import type { Variable } from '@backprop/autograd';
import { noGrad, variableGrads } from '@backprop/autograd';
import { clipByGlobalNorm, clipByNorm, clipByValue } from './clipping';
import type { LearningRateSchedule } from './schedules/schedule';
import { isSchedule } from './schedules/schedule';

/** Options every optimizer accepts. Unset (`undefined` or `null`) means off. */
export interface OptimizerOptions {
  /** Step size: a number or a schedule evaluated at `iterations`. Each optimizer has its own default. */
  learningRate?: number | LearningRateSchedule;
  /** Rescale each gradient tensor to an L2 norm of at most this (see `clipByNorm`). */
  clipnorm?: number | null;
  /** Clamp every gradient element to [−clipvalue, clipvalue] (see `clipByValue`). */
  clipvalue?: number | null;
  /** Rescale all gradients together to a global L2 norm of at most this (see `clipByGlobalNorm`). */
  globalClipnorm?: number | null;
  /** Decoupled weight decay: before each update, `w ← w − lr · weightDecay · w` (Keras 3 / AdamW style). */
  weightDecay?: number | null;
}

/**
 * Everything needed to resume an optimizer exactly: the step count and, per variable name, its slot tensors
 * (momentum, velocity, …). Tensors here are independent of the optimizer: later steps do not change or dispose them.
 */
export interface OptimizerState {
  /** Updates applied so far (0 before the first `applyGradients`); schedules are evaluated at this count. */
  iterations: number;
  /**
   * Per variable name, its slot tensors keyed by slot name (e.g. `{ momentum, velocity }` for Adam). A variable never updated (nor restored by
   * `setState`) has no entry.
   */
  slots: Record<string, Record<string, Tensor>>;
}

/** What a subclass's `update` receives for one variable. */
export interface UpdateContext<S extends string = string> {
  /** The (clipped) gradient, in the variable's dtype. */
  gradient: Tensor;
  /** The variable being updated; decoupled weight decay has already been applied to its value. */
  variable: Variable;
  /** This variable's slots before the update. */
  slots: Readonly<Record<S, Tensor>>;
  /** The learning rate of this step: the number, or the schedule evaluated at `iterations` before the update. */
  learningRate: number;
  /** 1 for the first update (iterations + 1): the t of bias corrections. */
  step: number;
}

/** What a subclass's `update` returns: the variable's new value and the new value of every slot. */
export interface UpdateResult<S extends string = string> {
  /** The variable's new value (same shape and dtype); the optimizer assigns it. */
  value: Tensor;
  /** The new tensor of every slot named in `slotNames`; the optimizer keeps them and disposes the old ones. */
  slots: Record<S, Tensor>;
}

function optionalPositive(owner: string, name: string, value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
    throw new ArgumentError(
      `${owner}: ${name} must be a finite number > 0 (or null for none), got ${String(value)}`,
    );
  return value;
}

function checkLearningRate(owner: string, lr: unknown): number | LearningRateSchedule {
  if (isSchedule(lr)) return lr;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0)
    throw new ArgumentError(
      `${owner}: learningRate must be a finite number ≥ 0 or a schedule, got ${String(lr)}`,
    );
  return lr;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The base of every optimizer. It owns what all of them share, in Keras 3's order for each `applyGradients` call:
 * drop null gradients, evaluate the learning rate at `iterations`, clip the gradients, apply decoupled weight decay,
 * run the subclass's `update` for each variable, then count the iteration. Updates run inside `noGrad` and a
 * `scope`, replace each variable's value with `assign`, and dispose replaced slot tensors, so memory stays flat.
 *
 * To write your own optimizer, subclass it: name the slots each variable needs and return the new value and slots
 * from `update(ctx)` (a pure function of its inputs; the base class handles memory, state and clipping).
 */
export abstract class Optimizer {
  /** The Keras class name, e.g. `'Adam'`. */
  abstract readonly className: string;
  /** Names of the per-variable state tensors this optimizer keeps (fixed at construction). */
  protected abstract readonly slotNames: readonly string[];

  /** Per-tensor norm limit, or null (see {@link OptimizerOptions.clipnorm}). */
  readonly clipnorm: number | null;
  /** Element limit, or null (see {@link OptimizerOptions.clipvalue}). */
  readonly clipvalue: number | null;
  /** Global norm limit, or null (see {@link OptimizerOptions.globalClipnorm}). */
  readonly globalClipnorm: number | null;
  /** Decoupled weight decay, or null (see {@link OptimizerOptions.weightDecay}). */
  readonly weightDecay: number | null;

  #learningRate: number | LearningRateSchedule;
  #iterations = 0;
  #slots = new Map<Variable, Record<string, Tensor>>();
  /** Slots restored by `setState` for variables not seen yet, adopted by name at their first update. */
  #pending = new Map<string, Record<string, Tensor>>();
  #noDecayVariables = new WeakSet<Variable>();
  #noDecayNames: string[] = [];

  protected constructor(options: OptimizerOptions, defaultLearningRate: number) {
    const owner = new.target.name;
    this.#learningRate = checkLearningRate(owner, options.learningRate ?? defaultLearningRate);
    this.clipnorm = optionalPositive(owner, 'clipnorm', options.clipnorm);
    this.clipvalue = optionalPositive(owner, 'clipvalue', options.clipvalue);
    this.globalClipnorm = optionalPositive(owner, 'globalClipnorm', options.globalClipnorm);
    const set = [this.clipnorm, this.clipvalue, this.globalClipnorm].filter((x) => x !== null).length;
    // Keras silently ignores all but one of these; a combination is almost always a mistake, so say so.
    if (set > 1)
      throw new ArgumentError(
        `${owner}: set at most one of clipnorm, clipvalue and globalClipnorm (got clipnorm=${this.clipnorm}, ` +
          `clipvalue=${this.clipvalue}, globalClipnorm=${this.globalClipnorm})`,
      );
    const wd = options.weightDecay;
    if (wd !== undefined && wd !== null && (typeof wd !== 'number' || !Number.isFinite(wd) || wd < 0))
      throw new ArgumentError(
        `${owner}: weightDecay must be a finite number ≥ 0 (or null), got ${String(wd)}`,
      );
    this.weightDecay = wd ?? null;
  }

  /** The learning rate or schedule. Settable at any time (callbacks such as ReduceLROnPlateau do). */
  get learningRate(): number | LearningRateSchedule {
    return this.#learningRate;
  }
  set learningRate(value: number | LearningRateSchedule) {
    this.#learningRate = checkLearningRate(this.className, value);
  }

  /** Number of `applyGradients` calls that updated something. The schedule sees this value. */
  get iterations(): number {
    return this.#iterations;
  }

  /** The rate the next update uses: the number, or the schedule at `iterations`. */
  currentLearningRate(): number {
    const lr = this.#learningRate;
    return typeof lr === 'number' ? lr : lr.call(this.#iterations);
  }

  /** Exempts variables (or variables whose name contains one of `names`) from `weightDecay`: biases, norms. */
  excludeFromWeightDecay(options: { variables?: readonly Variable[]; names?: readonly string[] }): void {
    for (const v of options.variables ?? []) this.#noDecayVariables.add(v);
    this.#noDecayNames.push(...(options.names ?? []));
  }

  /** The subclass's own options, merged into `getConfig()`. */
  protected abstract optimizerConfig(): Record<string, unknown>;

  /** One variable's update: a pure function from gradient, value and slots to new value and slots. */
  protected abstract update(ctx: UpdateContext): UpdateResult;

  /** A slot's value before the first update. Zeros unless a subclass says otherwise. */
  protected initialSlot(_name: string, variable: Variable): Tensor {
    return zerosLike(variable);
  }

  /** Called once per `applyGradients`, before the per-variable updates (Nadam's running product uses it). */
  protected beginStep(_step: number): void {}

  /**
   * Applies one update step. Pairs with a null gradient are skipped; if every gradient is null this throws
   * (nothing connects the loss to the variables); an empty list does nothing. Gradients are cast to the
   * variable's dtype and must match its shape.
   */
  applyGradients(gradsAndVars: Iterable<readonly [Tensor | null | undefined, Variable]>): void {
    const all = [...gradsAndVars];
    if (all.length === 0) return;
    const pairs = all.filter((p): p is readonly [Tensor, Variable] => p[0] !== null && p[0] !== undefined);
    if (pairs.length === 0) {
      throw new ArgumentError(
        `${this.className}.applyGradients: no gradient for any variable (${all.map((p) => `"${p[1].name}"`).join(', ')}); ` +
          'does the loss depend on them?',
      );
    }
    const seen = new Set<Variable>();
    for (const [g, v] of pairs) {
      if (typeof v !== 'object' || v === null || typeof v.assign !== 'function')
        throw new ArgumentError(`${this.className}.applyGradients: expected [gradient, Variable] pairs`);
      if (seen.has(v))
        throw new ArgumentError(
          `${this.className}.applyGradients: variable "${v.name}" appears more than once`,
        );
      seen.add(v);
      if (!isFloatDType(v.dtype))
        throw new DTypeError(
          `${this.className}: variable "${v.name}" is ${v.dtype}; only float variables can be trained`,
        );
      if (!sameShape(g.shape, v.shape))
        throw new ShapeError(
          `${this.className}.applyGradients: gradient for "${v.name}" has shape [${g.shape.join(',')}], ` +
            `the variable has [${v.shape.join(',')}]`,
        );
    }
    noGrad(() =>
      scope(() => {
        const lr = this.currentLearningRate();
        const step = this.#iterations + 1;
        const grads = this.#clip(pairs.map(([g, v]) => (g.dtype === v.dtype ? g : g.cast(v.dtype))));
        this.#decay(
          pairs.map((p) => p[1]),
          lr,
        );
        this.beginStep(step);
        pairs.forEach(([, v], i) => scope(() => this.#updateOne(grads[i]!, v, lr, step)));
        this.#iterations = step;
      }),
    );
  }

  #clip(grads: Tensor[]): Tensor[] {
    if (this.clipnorm !== null) return grads.map((g) => clipByNorm(g, this.clipnorm!));
    if (this.globalClipnorm !== null) return clipByGlobalNorm(grads, this.globalClipnorm).grads;
    if (this.clipvalue !== null) return grads.map((g) => clipByValue(g, this.clipvalue!));
    return grads;
  }

  #decay(variables: Variable[], lr: number): void {
    const wd = this.weightDecay;
    if (wd === null || wd === 0) return;
    for (const v of variables) {
      if (this.#noDecayVariables.has(v) || this.#noDecayNames.some((n) => v.name.includes(n))) continue;
      v.assign(v.sub(v.mul(wd * lr)));
    }
  }

  #updateOne(gradient: Tensor, variable: Variable, learningRate: number, step: number): void {
    const slots = this.#slotsFor(variable);
    const result = this.update({ gradient, variable, slots, learningRate, step });
    const next: Record<string, Tensor> = {};
    for (const name of this.slotNames) {
      const t = result.slots[name];
      if (!t) throw new StateError(`${this.className}.update returned no slot '${name}'`);
      next[name] = keep(t);
    }
    variable.assign(result.value);
    for (const name of this.slotNames) if (slots[name] !== next[name]) slots[name]!.dispose();
    this.#slots.set(variable, next);
  }

  #slotsFor(variable: Variable): Record<string, Tensor> {
    const known = this.#slots.get(variable);
    if (known) return known;
    const restored = this.#pending.get(variable.name);
    if (restored) {
      this.#checkSlots(variable, restored);
      this.#pending.delete(variable.name);
      this.#slots.set(variable, restored);
      return restored;
    }
    const fresh: Record<string, Tensor> = {};
    for (const name of this.slotNames) fresh[name] = keep(this.initialSlot(name, variable));
    this.#slots.set(variable, fresh);
    return fresh;
  }

  #checkSlots(variable: Variable, slots: Record<string, Tensor>): void {
    for (const name of this.slotNames) {
      const t = slots[name];
      if (!t)
        throw new StateError(`${this.className}.setState: slot '${name}' of "${variable.name}" is missing`);
      if (!sameShape(t.shape, variable.shape))
        throw new ShapeError(
          `${this.className}.setState: slot '${name}' of "${variable.name}" has shape [${t.shape.join(',')}], ` +
            `the variable has [${variable.shape.join(',')}]`,
        );
      if (t.dtype !== variable.dtype)
        throw new DTypeError(
          `${this.className}.setState: slot '${name}' of "${variable.name}" is ${t.dtype}, the variable is ${variable.dtype}`,
        );
    }
  }

  /**
   * Computes the gradients of `loss()` and applies them. Without `variables`, every trainable Variable the loss
   * depends on is updated; with them, only those (variables the loss does not reach get no update, as in Keras).
   * @returns the loss value (the caller owns it).
   */
  minimize(loss: () => Tensor, variables?: readonly Variable[]): Tensor {
    return scope(() => {
      // Without a variable list, variableGrads returns only variables the loss reaches: that gives the Keras
      // behaviour of skipping unconnected ones (a zero gradient would still move Adam's momentum).
      const { value, grads } = variableGrads(loss);
      const pairs: [Tensor | null, Variable][] = variables
        ? variables.map((v) => [grads.get(v) ?? null, v])
        : [...grads].map(([v, g]) => [g, v]);
      this.applyGradients(pairs);
      return value;
    });
  }

  /** PyTorch style: applies each variable's accumulated `.grad` (skipping variables whose grad is null). */
  step(variables: Iterable<Variable>): void {
    const pairs = [...variables].filter((v) => v.grad !== null).map((v) => [v.grad, v] as const);
    if (pairs.length > 0) this.applyGradients(pairs);
  }

  /** The constructor options that rebuild this optimizer (a schedule as `{ className, config }`). */
  getConfig(): Record<string, unknown> {
    const lr = this.#learningRate;
    return {
      learningRate: typeof lr === 'number' ? lr : { className: lr.className, config: lr.getConfig() },
      clipnorm: this.clipnorm,
      clipvalue: this.clipvalue,
      globalClipnorm: this.globalClipnorm,
      weightDecay: this.weightDecay,
      ...this.optimizerConfig(),
    };
  }

  /** The iteration count and every variable's slots, keyed by variable name (names must be unique). */
  getState(): OptimizerState {
    const slots: Record<string, Record<string, Tensor>> = {};
    const copy = (record: Record<string, Tensor>): Record<string, Tensor> =>
      Object.fromEntries(Object.entries(record).map(([k, t]) => [k, viewAs(t, t.shape)]));
    for (const [name, record] of this.#pending) slots[name] = copy(record);
    for (const [variable, record] of this.#slots) {
      if (Object.prototype.hasOwnProperty.call(slots, variable.name))
        throw new StateError(
          `${this.className}.getState: two variables are named "${variable.name}"; state is keyed by name, so give ` +
            'variables unique names',
        );
      slots[variable.name] = copy(record);
    }
    return { iterations: this.#iterations, slots };
  }

  /**
   * Replaces the whole state: iteration count and slots. Variables the optimizer has already updated are checked
   * now; others adopt their slots by name at their first update. Variables absent from `state` start fresh.
   * The tensors are copied, so the caller may dispose `state` afterwards.
   */
  setState(state: OptimizerState): void {
    const it = state.iterations;
    if (typeof it !== 'number' || !Number.isInteger(it) || it < 0)
      throw new ArgumentError(
        `${this.className}.setState: iterations must be an integer ≥ 0, got ${String(it)}`,
      );
    const byName = new Map([...this.#slots.keys()].map((v) => [v.name, v]));
    const incoming = new Map<string, Record<string, Tensor>>();
    for (const [name, record] of Object.entries(state.slots)) {
      const variable = byName.get(name);
      if (variable) this.#checkSlots(variable, record);
      const copy: Record<string, Tensor> = {};
      for (const slot of this.slotNames) {
        const t = record[slot];
        if (!t) throw new StateError(`${this.className}.setState: slot '${slot}' of "${name}" is missing`);
        copy[slot] = keep(viewAs(t, t.shape));
      }
      incoming.set(name, copy);
    }
    const dispose = (r: Record<string, Tensor>): void => Object.values(r).forEach((t) => t.dispose());
    this.#slots.forEach(dispose);
    this.#pending.forEach(dispose);
    this.#slots = new Map();
    this.#pending = incoming;
    this.#iterations = it;
  }
}
