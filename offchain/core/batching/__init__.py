"""Batch assembly and the pipeline that takes a batch from transactions to an accepted state update."""
