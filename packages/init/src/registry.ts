import { ArgumentError } from '@backprop/core-tensor';
import { Constant, Ones, Zeros } from './constant';
import { Identity } from './identity';
import type { Initializer } from './initializer';
import { Orthogonal } from './orthogonal';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
} from './variance-scaling';

/** A saved initializer: its class name and the options that rebuild it. */
export interface InitializerConfig {
  className: string;
  config?: Record<string, unknown>;
}

/** Builds an initializer from a (possibly hand-written) config; constructors validate every value. */
export type InitializerFactory = (config: Record<string, unknown>) => Initializer;

// The canonical camelCase name of each initializer, with its factory. Configs come from JSON: each constructor
// checks the values it is given.
const TABLE: [name: string, factory: InitializerFactory][] = [
  ['zeros', () => new Zeros()],
  ['ones', () => new Ones()],
  ['constant', (c) => new Constant(c)],
  ['randomUniform', (c) => new RandomUniform(c)],
  ['randomNormal', (c) => new RandomNormal(c)],
  ['truncatedNormal', (c) => new TruncatedNormal(c)],
  ['varianceScaling', (c) => new VarianceScaling(c)],
  ['glorotUniform', (c) => new GlorotUniform(c)],
  ['glorotNormal', (c) => new GlorotNormal(c)],
  ['heUniform', (c) => new HeUniform(c)],
  ['heNormal', (c) => new HeNormal(c)],
  ['lecunUniform', (c) => new LecunUniform(c)],
  ['lecunNormal', (c) => new LecunNormal(c)],
  ['orthogonal', (c) => new Orthogonal(c)],
  ['identity', (c) => new Identity(c)],
];

// Keras' extra spellings of the same classes.
const ALIASES: Record<string, string> = {
  zero: 'zeros',
  one: 'ones',
  uniform: 'randomUniform',
  normal: 'randomNormal',
  orthogonalInitializer: 'orthogonal',
  identityInitializer: 'identity',
};

/**
 * 'heNormal', 'he_normal' and 'HeNormal' all become 'henormal'. The three spellings never collide, so one key
 * serves camelCase (ours), snake_case (Keras strings) and class names (Keras configs).
 */
function key(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/** A built-in factory that also rejects config keys the initializer does not have (a typo should not pass). */
function strict(name: string, factory: InitializerFactory): InitializerFactory {
  const known = Object.keys(factory({}).getConfig());
  return (config) => {
    const unknown = Object.keys(config).filter((k) => !known.includes(k));
    if (unknown.length > 0) {
      throw new ArgumentError(
        `getInitializer: unknown config key '${unknown[0]}' for ${name}; known keys: ${known.join(', ') || 'none'}`,
      );
    }
    return factory(config);
  };
}

const registry = new Map<string, InitializerFactory>();
const canonical: string[] = [];
for (const [name, factory] of TABLE) {
  registry.set(key(name), strict(name, factory));
  canonical.push(name);
}
for (const [alias, target] of Object.entries(ALIASES)) registry.set(key(alias), registry.get(key(target))!);

/**
 * Adds a custom initializer so that `getInitializer` (and so model configs) can name it. `className` is matched
 * like the built-in names (case and underscores ignored); registering an existing name replaces it.
 */
export function registerInitializer(className: string, factory: InitializerFactory): void {
  if (typeof className !== 'string' || className.length === 0)
    throw new ArgumentError('registerInitializer: className must be a non-empty string');
  if (!registry.has(key(className))) canonical.push(className);
  registry.set(key(className), factory);
}

function isInitializer(x: unknown): x is Initializer {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Initializer).call === 'function' &&
    typeof (x as Initializer).getConfig === 'function'
  );
}

/**
 * The initializer an identifier names. Accepts:
 * - an {@link Initializer}, returned as is;
 * - a name in camelCase (`'heNormal'`), Keras snake_case (`'he_normal'`) or Keras class form (`'HeNormal'`),
 *   built with its defaults;
 * - a saved config `{ className, config }` (what {@link serializeInitializer} returns, or a Keras config).
 *
 * Throws ArgumentError for an unknown name, listing the valid ones.
 * @example
 * getInitializer('glorot_uniform').call([64, 10]);
 * getInitializer({ className: 'RandomNormal', config: { stddev: 0.02, seed: 1 } });
 */
export function getInitializer(id: string | Initializer | InitializerConfig): Initializer {
  if (isInitializer(id)) return id;
  let name: unknown;
  let config: unknown = {};
  if (typeof id === 'string') name = id;
  else if (typeof id === 'object' && id !== null && 'className' in id) {
    name = id.className;
    config = id.config ?? {};
  } else {
    throw new ArgumentError(
      `getInitializer: expected a name, an Initializer or { className, config }, got ${String(id)}`,
    );
  }
  if (typeof name !== 'string')
    throw new ArgumentError(`getInitializer: className must be a string, got ${String(name)}`);
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new ArgumentError(`getInitializer: config of '${name}' must be an object, got ${String(config)}`);
  const factory = registry.get(key(name));
  if (!factory) {
    throw new ArgumentError(
      `getInitializer: unknown initializer '${name}'. Valid names: ${canonical.join(', ')} ` +
        `(snake_case like 'he_normal' and class names like 'HeNormal' work too)`,
    );
  }
  return factory(config as Record<string, unknown>);
}

/**
 * `{ className, config }` for saving an initializer in a model config; `getInitializer` rebuilds it.
 * @example
 * serializeInitializer(heNormal({ seed: 1 })); // { className: 'HeNormal', config: { seed: 1 } }
 */
export function serializeInitializer(init: Initializer): {
  className: string;
  config: Record<string, unknown>;
} {
  return { className: init.className, config: init.getConfig() };
}
