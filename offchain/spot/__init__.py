"""StarkEx Spot: vaults, orders, assets and the rules of a Spot batch (the reference model)."""
