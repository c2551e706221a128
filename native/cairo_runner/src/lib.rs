//! Cairo 0 proof-mode runs on lambdaclass' cairo-vm (the `cairo-vm` crate) with the hints of the
//! project's batch programs, as a Python module (`starkex_cairo_vm`) for offchain/core/cairo_runner.py.

pub mod hint_codes;
pub mod hints;
pub mod library;
pub mod run;

#[cfg(feature = "python")]
mod python {
    use std::path::PathBuf;

    use pyo3::exceptions::PyRuntimeError;
    use pyo3::prelude::*;
    use pyo3::types::PyDict;

    use crate::run::{self as runner, RunFiles};

    pyo3::create_exception!(starkex_cairo_vm, RunFailed, PyRuntimeError, "The run failed; the message is cairo-vm's error text.");

    /// run(program, program_input_json, layout, trace, memory, public_input, private_input) ->
    /// {"n_steps": int}: runs the compiled program (cairo-compile's JSON, at
    /// path `program`) in proof mode and writes the four files cairo-run writes. Raises RunFailed.
    #[pyfunction]
    #[allow(clippy::too_many_arguments)]
    fn run<'py>(py: Python<'py>, program: PathBuf, program_input: String, layout: String, trace: PathBuf,
                memory: PathBuf, public_input: PathBuf, private_input: PathBuf) -> PyResult<Bound<'py, PyDict>> {
        let files = RunFiles { trace, memory, public_input, private_input };
        let summary = py.detach(|| runner::run(&program, &program_input, &layout, &files)).map_err(RunFailed::new_err)?;
        let result = PyDict::new(py);
        result.set_item("n_steps", summary.n_steps)?;
        Ok(result)
    }

    /// unsupported_hints(program) -> list[str]: the program's hint codes this runner cannot execute.
    #[pyfunction]
    fn unsupported_hints(py: Python<'_>, program: PathBuf) -> PyResult<Vec<String>> {
        py.detach(|| runner::unsupported_hints(&program)).map_err(RunFailed::new_err)
    }

    #[pymodule]
    fn starkex_cairo_vm(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add_function(wrap_pyfunction!(run, m)?)?;
        m.add_function(wrap_pyfunction!(unsupported_hints, m)?)?;
        m.add("RunFailed", m.py().get_type::<RunFailed>())?;
        Ok(())
    }
}
