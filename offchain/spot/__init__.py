"""StarkEx Spot Trading: the second application on the shared core."""
