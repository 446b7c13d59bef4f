import { ShapeError } from '@backprop/core-tensor';
import { describe, expect, it } from 'vitest';
import { Identity, identity } from './identity';

describe('identity', () => {
  it('puts gain on the main diagonal of square and rectangular matrices', () => {
    expect(identity().call([2, 2]).arraySync()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(identity({ gain: 0.5 }).call([2, 3]).arraySync()).toEqual([
      [0.5, 0, 0],
      [0, 0.5, 0],
    ]);
    expect(identity({ gain: 3 }).call([3, 2], 'int32').arraySync()).toEqual([
      [3, 0],
      [0, 3],
      [0, 0],
    ]);
  });

  it('refuses shapes that are not 2-D and reports { gain }', () => {
    expect(() => identity().call([2, 2, 2])).toThrow(ShapeError);
    expect(new Identity({ gain: 2 }).getConfig()).toEqual({ gain: 2 });
    expect(new Identity().className).toBe('Identity');
  });
});
