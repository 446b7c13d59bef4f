// Python text that exportPytorchCode splices into the generated module.
/** Small modules the generated code defines when it uses them (torch.nn has no permute or Keras reshape). */
export const HELPERS: Record<string, string> = {
  Permute: `class Permute(nn.Module):
    def __init__(self, *dims):
        super().__init__()
        self.dims = dims

    def forward(self, x):
        return x.permute(*self.dims)
`,
  Reshape: `class Reshape(nn.Module):
    """Reshapes each sample, keeping the batch dimension (Keras' Reshape)."""

    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)
`,
  AvgPoolSame: `class AvgPoolSame(nn.Module):
    """Average pooling with TensorFlow's 'same' padding: divides by the number of real (unpadded) cells."""

    def __init__(self, kernel_size, stride, pad):
        super().__init__()
        self.kernel_size, self.stride, self.pad = kernel_size, stride, pad

    def forward(self, x):
        total = F.avg_pool2d(F.pad(x, self.pad), self.kernel_size, self.stride)
        count = F.avg_pool2d(F.pad(torch.ones_like(x[:, :1]), self.pad), self.kernel_size, self.stride)
        return total / count
`,
};

/** A dependency-free safetensors reader for the generated code, used when the safetensors package is absent. */
export const LOADER = `def load_safetensors(path):
    """Reads a safetensors file into {name: tensor}; uses the safetensors package when it is installed."""
    try:
        from safetensors.torch import load_file

        return load_file(path)
    except ImportError:
        pass
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8 : 8 + n])
    dtypes = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64, "BOOL": torch.bool}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = dtypes[info["dtype"]]
        if begin == end:
            tensors[name] = torch.zeros(info["shape"], dtype=dtype)
        else:
            chunk = bytearray(data[8 + n + begin : 8 + n + end])
            tensors[name] = torch.frombuffer(chunk, dtype=dtype).reshape(info["shape"])
    return tensors
`;
