"""Numbers: kernels generated from closed forms, lattice sums, Kramers-Kronig, the RG flow, NumPy functions
of any closed form."""
