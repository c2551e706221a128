"""Concrete AIRs for the generic prover."""
