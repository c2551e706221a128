"""The operator's HTTP APIs in StarkEx's shape: gateway, feeder gateway, availability gateway."""
