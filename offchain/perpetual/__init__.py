"""Python reference model of StarkEx Perpetual: config, state, transactions, batch output."""
