"""The operator of a StarkEx-style validity rollup: state, transactions, batching, proving, L1."""

__version__ = "0.1.0"
