import type { layers } from 'backprop';
import { classify, toDigitsSample, trainDigits } from '../playground/digits';

/** The drawing tab: train a digits classifier in the page, draw with mouse, pen or finger, see its guess. */
export function setupDigits(root: HTMLElement): void {
  const canvas = root.querySelector<HTMLCanvasElement>('#draw')!;
  const preview = root.querySelector<HTMLCanvasElement>('#draw-preview')!;
  const train = root.querySelector<HTMLButtonElement>('#digits-train')!;
  const clear = root.querySelector<HTMLButtonElement>('#draw-clear')!;
  const status = root.querySelector<HTMLElement>('#digits-status')!;
  const bars = root.querySelector<HTMLElement>('#digits-bars')!;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  let model: layers.Sequential | undefined;
  let drawing = false;
  let last: [number, number] | undefined;

  const wipe = (): void => {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    preview.getContext('2d')!.clearRect(0, 0, preview.width, preview.height);
    bars.replaceChildren();
  };
  wipe();

  const guess = (): void => {
    const sample = toDigitsSample(
      ctx.getImageData(0, 0, canvas.width, canvas.height).data,
      canvas.width,
      canvas.height,
    );
    if (!sample) return;
    const p = preview.getContext('2d')!;
    const cell = preview.width / 8;
    for (let i = 0; i < 64; i++) {
      const v = Math.round(255 * (1 - sample[i]!));
      p.fillStyle = `rgb(${v},${v},${v})`;
      p.fillRect((i % 8) * cell, Math.floor(i / 8) * cell, cell, cell);
    }
    if (!model) {
      status.textContent = 'Train the classifier first.';
      return;
    }
    const { probs, best } = classify(model, sample);
    status.textContent = `It looks like a ${best} (${(100 * probs[best]!).toFixed(0)}%).`;
    root.dataset.guess = String(best);
    bars.replaceChildren(
      ...probs.map((q, k) => {
        const row = document.createElement('div');
        row.className = k === best ? 'bar best' : 'bar';
        row.innerHTML = `<span>${k}</span><i style="width:${(100 * q).toFixed(1)}%"></i>`;
        return row;
      }),
    );
  };

  const point = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [
      ((e.clientX - r.left) / r.width) * canvas.width,
      ((e.clientY - r.top) / r.height) * canvas.height,
    ];
  };
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true;
    last = point(e);
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing || !last) return;
    const p = point(e);
    ctx.strokeStyle = '#000';
    ctx.lineWidth = canvas.width / 11;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(...last);
    ctx.lineTo(...p);
    ctx.stroke();
    last = p;
  });
  const end = (): void => {
    if (drawing) guess();
    drawing = false;
    last = undefined;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  clear.addEventListener('click', wipe);
  train.addEventListener('click', () => {
    train.disabled = true;
    status.textContent = 'Training…';
    void trainDigits({
      onEpoch: (epoch, acc) =>
        (status.textContent = `Training… epoch ${epoch + 1}, accuracy ${(100 * acc).toFixed(1)}%`),
    }).then(({ model: m, testAccuracy }) => {
      model = m;
      train.disabled = false;
      train.textContent = 'Train again';
      status.textContent = `Trained: ${(100 * testAccuracy).toFixed(1)}% on the 360 held-out digits. Draw one!`;
      root.dataset.testAccuracy = String(testAccuracy);
      guess();
    });
  });
}
