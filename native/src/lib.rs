//! The native core of the STARK prover (offchain/prover/native): Python bindings over the
//! column-major phases in `stark`, the constraint evaluator in `tape` and the Cairo trace builder
//! in `cairo`. Field elements cross the boundary as 32-byte big-endian words, in `bytes`.
pub mod cairo;
pub mod field;
pub mod lanes;
pub mod merkle;
pub mod ntt;
pub mod stark;
pub mod store;
pub mod tape;

#[cfg(feature = "python")]
mod python;

/// This thread's CPU seconds (from /proc, 10 ms resolution): the machines are shared, so rates
/// are measured in CPU time rather than wall time.
pub fn thread_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |k: usize| fields.get(k).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
