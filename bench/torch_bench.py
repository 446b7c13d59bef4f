"""PyTorch rows of the bench: the same GEMM cases and training configurations as the JavaScript rows.

  /usr/bin/python3 torch_bench.py info
  /usr/bin/python3 torch_bench.py gemm [--quick]            one JSON object per line: {"shape", "layout", "threads", "gflops"}
  /usr/bin/python3 torch_bench.py train MODEL THREADS [--quick]   a JSON report as the last line

Started by src/torch.ts (one process per training configuration, so each peak RSS is its own). The schedule and
sizes mirror src/train/spec.ts; the models mirror src/train/backprop-train.ts (channels first for the CNN).
"""
import json
import os
import sys
import time

import torch

DATASET_SIZE = 60_000
QUICK_DATASET_SIZE = 10_000
BATCH = {"mlp": 128, "cnn": 64}
CLASSES = 10
LAYOUTS = ["nn", "tn", "nt", "tt"]


def schedule(quick):
    if quick:
        return dict(warmup_steps=2, warmup_seconds=1, epoch_seconds=1.2, min_steps=1, epochs=3)
    return dict(warmup_steps=4, warmup_seconds=2, epoch_seconds=3, min_steps=3, epochs=3)


def blas_library():
    """The BLAS shared library this process has mapped (after a matmul), e.g. reference libblas or OpenBLAS."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            name = os.path.basename(path).lower()
            if "blas" in name or "mkl" in name:
                libs.add(os.path.realpath(path))
    return sorted(libs)


def info():
    config = torch.__config__.show()
    blas_info = next((part.split("=")[1] for part in config.replace(",", " ").split() if part.startswith("BLAS_INFO=")), "?")
    print(json.dumps({
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "blasInfo": blas_info,
        "blasLibraries": blas_library(),
        "referenceBlas": reference_blas(),
        "mkl": torch.backends.mkl.is_available(),
        "mkldnn": torch.backends.mkldnn.is_available(),
    }))


def gemm_cases(quick):
    squares = [128, 256, 512] if quick else [128, 256, 512, 1024]
    cases = [(n, n, n, LAYOUTS) for n in squares]
    return cases + [(128, 784, 256, ["nn"]), (784, 128, 256, ["tn"]), (128, 256, 784, ["nt"])]


def time_call(fn, budget, min_batches):
    fn()
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-6)
    per = max(1, round(budget / 20 / once))
    samples = []
    start = time.perf_counter()
    while len(samples) < min_batches or time.perf_counter() - start < budget:
        t0 = time.perf_counter()
        for _ in range(per):
            fn()
        samples.append((time.perf_counter() - t0) / per)
    return sorted(samples)[len(samples) // 2]


def gemm(quick):
    budget = 0.15 if quick else 0.7
    max_macs = 512 ** 3 if reference_blas() else None
    torch.manual_seed(0)
    for m, k, n, layouts in gemm_cases(quick):
        for layout in layouts:
            ta, tb = layout[0] == "t", layout[1] == "t"
            if max_macs is not None and m * k * n > max_macs:
                print(json.dumps({"skip": f"{m}x{k}x{n} {layout}: reference BLAS, too slow for the time budget"}), flush=True)
                continue
            a = torch.rand(k, m) * 2 - 1 if ta else torch.rand(m, k) * 2 - 1
            b = torch.rand(n, k) * 2 - 1 if tb else torch.rand(k, n) * 2 - 1
            ref = (a.double().t() if ta else a.double()) @ (b.double().t() if tb else b.double())
            for threads in (1, 2):
                torch.set_num_threads(threads)
                op_a = a.t() if ta else a
                op_b = b.t() if tb else b
                out = torch.matmul(op_a, op_b)
                diff = (out.double() - ref).abs().max().item()
                if diff > 1e-3 * k ** 0.5:
                    raise SystemExit(f"torch gemm {m}x{k}x{n} {layout}: off by {diff}")
                seconds = time_call(lambda: torch.matmul(op_a, op_b), budget, 3 if m * k * n >= 512 ** 3 else 5)
                print(json.dumps({"shape": f"{m}x{k}x{n}", "layout": layout, "threads": torch.get_num_threads(),
                                  "gflops": 2 * m * k * n / seconds / 1e9}), flush=True)


_reference = None


def reference_blas():
    global _reference
    if _reference is None:
        libs = blas_library()
        # Debian's reference BLAS is /usr/lib/<arch>/blas/libblas.so.3; OpenBLAS, BLIS and MKL name themselves.
        _reference = not any("openblas" in lib or "mkl" in lib or "blis" in lib for lib in libs)
    return _reference


def model_for(name):
    nn = torch.nn
    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, CLASSES))
    return nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, CLASSES),
    )


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def train(name, threads, quick):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    n = QUICK_DATASET_SIZE if quick else DATASET_SIZE
    x = torch.rand(n, 784) if name == "mlp" else torch.rand(n, 1, 28, 28)
    y = torch.randint(0, CLASSES, (n,))
    data_rss = rss_bytes()
    model = model_for(name)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    batch = BATCH[name]
    s = schedule(quick)
    start = time.perf_counter()
    ends = []
    peak = 0
    warmup_end = -1
    steps_per_epoch = 0
    done = False
    while not done:
        perm = torch.randperm(n)  # a shuffled pass, like fit(shuffle: true)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            loss.item()  # fit reports every step's loss too
            now = time.perf_counter()
            ends.append(now)
            peak = max(peak, rss_bytes())
            if warmup_end < 0:
                if len(ends) >= s["warmup_steps"] and now - start >= s["warmup_seconds"]:
                    half = len(ends) // 2
                    per_step = (now - ends[half - 1]) / (len(ends) - half)
                    steps_per_epoch = max(s["min_steps"], round(s["epoch_seconds"] / per_step))
                    warmup_end = len(ends)
            elif len(ends) >= warmup_end + steps_per_epoch * s["epochs"]:
                done = True
                break
    rates = []
    for e in range(s["epochs"]):
        a = ends[warmup_end - 1 + e * steps_per_epoch]
        b = ends[warmup_end - 1 + (e + 1) * steps_per_epoch]
        rates.append(steps_per_epoch * batch / (b - a))
    print(json.dumps({
        "samplesPerSec": sorted(rates)[len(rates) // 2],
        "peakRssMiB": peak / 2 ** 20,
        "dataRssMiB": data_rss / 2 ** 20,
        "stepsPerEpoch": steps_per_epoch,
        "epochRates": rates,
        "detail": f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)",
    }))


def main(argv):
    quick = "--quick" in argv
    args = [a for a in argv if a != "--quick"]
    if args[:1] == ["info"]:
        info()
    elif args[:1] == ["gemm"]:
        gemm(quick)
    elif args[:1] == ["train"] and len(args) == 3 and args[1] in BATCH:
        train(args[1], int(args[2]), quick)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
