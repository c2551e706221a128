"""The operator's view of L1, through Ape: deployment, proving facts, state updates, the watcher."""
