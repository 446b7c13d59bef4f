import type { layers } from 'backprop';
import { data, getBackendName } from 'backprop';
import type { MnistArrays } from '../playground/mnist';
import { classify, toMnistArrays, toMnistSample, trainMnist } from '../playground/mnist';

async function loadSplit(split: 'train' | 'test'): Promise<MnistArrays> {
  // Shipped beside the page by the build (src/web/mnist-subset.ts): gzip IDX, decoded by @backprop/data.
  const url = (name: string): string => new URL(`./mnist/${split}-${name}.gz`, location.href).href;
  const [images, labels] = await Promise.all([
    data.loadIdx(url('images-idx3-ubyte'), { type: 'uint8', rank: 3 }),
    data.loadIdx(url('labels-idx1-ubyte'), { type: 'uint8', rank: 1 }),
  ]);
  return toMnistArrays(images.values, labels.values);
}

/** The MNIST tab: train a small MLP in the page on real MNIST images, then draw a digit and see its guess. */
export function setupMnist(root: HTMLElement): void {
  const canvas = root.querySelector<HTMLCanvasElement>('#draw')!;
  const preview = root.querySelector<HTMLCanvasElement>('#draw-preview')!;
  const train = root.querySelector<HTMLButtonElement>('#mnist-train')!;
  const clear = root.querySelector<HTMLButtonElement>('#draw-clear')!;
  const status = root.querySelector<HTMLElement>('#mnist-status')!;
  const said = root.querySelector<HTMLElement>('#mnist-guess')!;
  const bars = root.querySelector<HTMLElement>('#mnist-bars')!;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  let model: layers.Sequential | undefined;
  let drawing = false;
  let last: [number, number] | undefined;

  const wipe = (): void => {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    preview.getContext('2d')!.clearRect(0, 0, preview.width, preview.height);
    bars.replaceChildren();
    said.textContent = '';
    delete root.dataset.guess;
  };
  wipe();

  const guess = (): void => {
    const sample = toMnistSample(
      ctx.getImageData(0, 0, canvas.width, canvas.height).data,
      canvas.width,
      canvas.height,
    );
    if (!sample) return;
    const p = preview.getContext('2d')!;
    const cell = preview.width / 28;
    for (let i = 0; i < 784; i++) {
      const v = Math.round(255 * (1 - sample[i]!));
      p.fillStyle = `rgb(${v},${v},${v})`;
      p.fillRect((i % 28) * cell, Math.floor(i / 28) * cell, cell + 0.5, cell + 0.5);
    }
    if (!model) {
      said.textContent = 'Train the classifier first.';
      return;
    }
    const { probs, best } = classify(model, sample);
    said.textContent = `It looks like a ${best} (${(100 * probs[best]!).toFixed(0)}%).`;
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
    ctx.lineWidth = canvas.width / 12;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
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
    status.textContent = 'Loading 22 000 MNIST images…';
    void (async () => {
      try {
        const [tr, te] = await Promise.all([loadSplit('train'), loadSplit('test')]);
        status.textContent = `Training on ${tr.ys.length} images (${getBackendName()} backend)…`;
        // Let the status paint before the synchronous steps start.
        await new Promise((r) => setTimeout(r, 30));
        const result = await trainMnist(tr, te, {
          onEpoch: (epoch, acc) =>
            (status.textContent = `Training… epoch ${epoch + 1}, accuracy ${(100 * acc).toFixed(1)}%`),
        });
        model = result.model;
        train.textContent = 'Train again';
        status.textContent =
          `Trained in ${result.seconds.toFixed(1)} s on the ${getBackendName()} backend: ` +
          `${(100 * result.testAccuracy).toFixed(1)}% on ${te.ys.length} held-out MNIST test images. Draw a digit!`;
        root.dataset.testAccuracy = String(result.testAccuracy);
        root.dataset.backend = getBackendName();
        guess();
      } catch (e) {
        status.textContent = `Could not train: ${(e as Error).message}`;
      } finally {
        train.disabled = false;
      }
    })();
  });
}
