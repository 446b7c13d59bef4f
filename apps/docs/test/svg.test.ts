import { describe, expect, it } from 'vitest';
import { lineChart, valueGraph } from '../scripts/svg';
import * as example from '../examples/value-graph';

describe('lineChart', () => {
  it('draws one path per series, breaks lines at NaN and marks the series', () => {
    const svg = lineChart(
      [
        { name: 'a', y: [1, 0.1, 0.01] },
        { name: 'b', y: [1, NaN, 2] },
      ],
      { title: 't', xLabel: 'x', yLabel: 'y', logY: true },
    );
    const paths = [...svg.matchAll(/<path d="([^"]*)" fill="none" stroke="#/g)].map((m) => m[1]!);
    expect(paths).toHaveLength(2);
    expect(paths[0]!.match(/[ML]/g)).toEqual(['M', 'L', 'L']);
    expect(paths[1]!.match(/[ML]/g)).toEqual(['M', 'M']); // the NaN broke the line
    expect(svg).toContain('b (NaN)');
    expect(svg).toContain('(log scale)');
    for (const tick of ['>0.01<', '>0.1<', '>1<', '>10<']) expect(svg).toContain(tick);
  });
  it('labels the zero tick 0, not a rounding residue, on an axis that ends just below 0', () => {
    const svg = lineChart([{ name: 'a', y: [-1, -0.5, -5.551115123125783e-17] }], {
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
    });
    expect(svg).toContain('>0<');
    expect(svg).not.toMatch(/e-1\d</);
  });
  it('refuses a chart with nothing finite to draw', () => {
    expect(() => lineChart([{ name: 'a', y: [NaN] }], { title: 't', xLabel: 'x', yLabel: 'y' })).toThrow(
      /no finite/,
    );
  });
});

describe('valueGraph', () => {
  it('draws every node of the example graph with its data and gradient, and every edge', () => {
    const { graph } = example.run();
    const svg = valueGraph(graph);
    expect(svg.match(/<rect x=/g)).toHaveLength(graph.nodes.length);
    expect(svg.match(/marker-end/g)).toHaveLength(graph.edges.length);
    expect(svg).toContain('grad 1.0000');
    expect(svg).toContain('^2 → L');
  });
});
