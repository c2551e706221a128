//! The native core of the STARK prover (offchain/prover/native): Python bindings over the
//! column-major phases in `stark`, the constraint evaluator in `tape` and the Cairo trace builder
//! in `cairo`. Field elements cross the boundary as 32-byte big-endian words, in `bytes`.
pub mod cairo;
pub mod field;
pub mod merkle;
pub mod ntt;
pub mod stark;
pub mod tape;

#[cfg(feature = "python")]
mod python;
