"""The physics of the appendices: elastic Hamiltonian and Lambda(q), the stress-stress interaction, block displacement,
dipole kernels, absorption algebra, TTLS susceptibility, the J terms of (C.10)."""
