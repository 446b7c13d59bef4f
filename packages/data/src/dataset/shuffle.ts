import { Rng, mixSeeds } from '../random';

/**
 * The shuffle buffer of tf.data: hold `capacity` items; each new item displaces a uniformly chosen held one, which
 * is emitted; at the end the rest come out in uniformly random order. With `capacity ≥ size` the output is a
 * uniformly random permutation; a smaller buffer only mixes items within about `capacity` positions of each other
 * (cheap in memory for streams). The same code serves element streams and index streams, so a seed gives the
 * same order on both paths.
 */
export class ShuffleBuffer<T> {
  readonly #items: T[] = [];

  constructor(
    readonly capacity: number,
    readonly rng: Rng,
  ) {}

  get isFull(): boolean {
    return this.#items.length >= this.capacity;
  }

  add(x: T): void {
    this.#items.push(x);
  }

  /** Emits a random held item and keeps `x` in its place. */
  replace(x: T): T {
    const j = this.rng.int(this.#items.length);
    const out = this.#items[j]!;
    this.#items[j] = x;
    return out;
  }

  /** Emits the held items in random order, emptying the buffer. */
  *drain(): Generator<T> {
    const items = this.#items;
    while (items.length > 0) {
      const j = this.rng.int(items.length);
      const out = items[j]!;
      items[j] = items[items.length - 1]!;
      items.pop();
      yield out;
    }
  }
}

/**
 * Seeds for successive passes of one `shuffle()`: pass k uses `mixSeeds(seed, k)`, so every epoch gets a new
 * order and the whole sequence of orders is reproducible from the seed. Without reshuffling every pass is pass 0.
 */
export class PassSeeds {
  #pass = 0;
  constructor(
    readonly seed: number,
    readonly reshuffleEachIteration: boolean,
  ) {}

  next(): Rng {
    const pass = this.reshuffleEachIteration ? this.#pass++ : 0;
    return new Rng(mixSeeds(this.seed, pass));
  }
}
