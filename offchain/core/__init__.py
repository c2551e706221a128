"""What every application shares: storage, the batching pipeline, the gateway framework, the L1
watcher, facts and proofs, the committee, the Cairo runner, logs and the toolchain."""
