"""Index notation, explicit tensors and their canonical form modulo n.n = 1, tensor structures, the Fourier engine,
and the LaTeX notation of index expressions."""
