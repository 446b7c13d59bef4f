import { ArgumentError } from '@backprop/core-tensor';

/** A saved object: its class name and the options that rebuild it (what `serialize…` returns). */
export interface SerializedObject {
  className: string;
  config?: Record<string, unknown>;
}

/** 'learning_rate' → 'learningRate', 'beta_1' → 'beta1': Keras configs use snake_case keys. */
function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * @internal Normalizes a config from JSON: keys to camelCase; Keras keys we do not implement are dropped when their
 * value is neutral (`ignorable[key](value)` is true) and rejected otherwise; anything else unknown is rejected (a
 * typo in a saved config should not be silently ignored).
 */
export function normalizeConfig(
  owner: string,
  config: unknown,
  known: readonly string[],
  ignorable: Readonly<Record<string, (value: unknown) => boolean>> = {},
): Record<string, unknown> {
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new ArgumentError(`${owner}: config must be an object, got ${String(config)}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    const key = camel(k);
    if (known.includes(key)) out[key] = v;
    else if (Object.prototype.hasOwnProperty.call(ignorable, key)) {
      if (!ignorable[key]!(v))
        throw new ArgumentError(
          `${owner}: '${k}' = ${JSON.stringify(v)} is a Keras feature backprop does not support`,
        );
    } else {
      throw new ArgumentError(`${owner}: unknown config key '${k}'; known keys: ${known.join(', ')}`);
    }
  }
  return out;
}

/** @internal 'AdamW', 'adamw' and 'adam_w' → 'adamw'. */
export function lookupKey(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/** @internal Splits an identifier into a name and a config. */
export function splitIdentifier(owner: string, id: unknown): { name: string; config: unknown } {
  if (typeof id === 'string') return { name: id, config: {} };
  if (typeof id === 'object' && id !== null && ('className' in id || 'class_name' in id)) {
    // Keras' own JSON spells it class_name (next to module and registered_name, which do not matter here).
    const raw = id as SerializedObject & { class_name?: unknown };
    const className = 'className' in id ? raw.className : raw.class_name;
    const config = raw.config;
    if (typeof className !== 'string')
      throw new ArgumentError(`${owner}: className must be a string, got ${String(className)}`);
    return { name: className, config: config ?? {} };
  }
  throw new ArgumentError(`${owner}: expected a name or { className, config }, got ${String(id)}`);
}
