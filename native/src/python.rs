use crate::field::{from_be_bytes, to_be_bytes, Fe};
use crate::merkle;
use crate::stark::{self, CompositionInput, FriLayer as CoreFriLayer, Segment as CoreSegment};
use crate::store::Col;
use crate::tape::{Input, Op, Operand, Program as CoreProgram, RowSet};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

pub(crate) fn words(data: &[u8]) -> PyResult<Vec<Fe>> {
    if data.len() % 32 != 0 {
        return Err(PyValueError::new_err(format!("{} bytes are not whole 32-byte words", data.len())));
    }
    data.chunks(32)
        .enumerate()
        .map(|(i, w)| from_be_bytes(w).ok_or_else(|| PyValueError::new_err(format!("word {i} is not a field element (>= P)"))))
        .collect()
}

pub(crate) fn word(data: &[u8]) -> PyResult<Fe> {
    let mut v = words(data)?;
    if v.len() != 1 {
        return Err(PyValueError::new_err("expected one 32-byte word"));
    }
    Ok(v.pop().unwrap())
}

fn to_bytes<'py>(py: Python<'py>, values: &[Fe]) -> Bound<'py, PyBytes> {
    let mut out = Vec::with_capacity(values.len() * 32);
    for v in values {
        out.extend_from_slice(&to_be_bytes(v));
    }
    PyBytes::new(py, &out)
}

/// Columns of field elements held natively (column-major; a tall column file-backed: store.rs).
#[pyclass(module = "stark_native")]
pub struct Columns {
    pub cols: Vec<Col>,
}

#[pymethods]
impl Columns {
    /// From one `bytes` of 32-byte big-endian words per column, all of one length.
    #[staticmethod]
    fn from_words(columns: Vec<Bound<'_, PyBytes>>) -> PyResult<Columns> {
        let cols = columns.iter().map(|c| words(c.as_bytes()).map(Col::from_vec)).collect::<PyResult<Vec<_>>>()?;
        if cols.windows(2).any(|w| w[0].len() != w[1].len()) {
            return Err(PyValueError::new_err("columns differ in length"));
        }
        Ok(Columns { cols })
    }

    /// These columns, moved into a new object; this one is left with none (width 0). The prover
    /// takes a trace so when its caller no longer needs it, to free it once it is committed.
    fn take(&mut self) -> Columns {
        Columns { cols: std::mem::take(&mut self.cols) }
    }

    /// Each column as `bytes` of 32-byte big-endian words.
    fn words<'py>(&self, py: Python<'py>) -> Vec<Bound<'py, PyBytes>> {
        self.cols.iter().map(|c| to_bytes(py, c)).collect()
    }

    #[getter]
    fn width(&self) -> usize {
        self.cols.len()
    }

    /// Whether any column is file-backed (native/src/store.rs).
    #[getter]
    fn mapped(&self) -> bool {
        self.cols.iter().any(|c| c.is_mapped())
    }

    #[getter]
    fn length(&self) -> usize {
        self.cols.first().map_or(0, |c| c.len())
    }

    /// A copy with one cell replaced (tests tamper with traces this way).
    fn replaced(&self, column: usize, row: usize, value: &[u8]) -> PyResult<Columns> {
        if column >= self.cols.len() || row >= self.length() {
            return Err(PyValueError::new_err(format!("cell ({column}, {row}) is outside the columns")));
        }
        let mut cols = self.cols.clone();
        cols[column][row] = word(value)?;
        Ok(Columns { cols })
    }

    /// One cell's value as a word.
    fn cell<'py>(&self, py: Python<'py>, column: usize, row: usize) -> PyResult<Bound<'py, PyBytes>> {
        if column >= self.cols.len() || row >= self.length() {
            return Err(PyValueError::new_err(format!("cell ({column}, {row}) is outside the columns")));
        }
        Ok(to_bytes(py, std::slice::from_ref(&self.cols[column][row])))
    }
}

/// A committed block of columns (offchain/prover/prover.py): coefficients and Merkle tree.
#[pyclass(module = "stark_native", frozen)]
pub struct Segment {
    inner: CoreSegment,
}

#[pymethods]
impl Segment {
    /// Interpolates columns given on the trace domain, then commits their LDE.
    #[staticmethod]
    fn from_evaluations(py: Python<'_>, columns: &Columns, blowup: usize) -> PyResult<Segment> {
        check_shape(&columns.cols, blowup)?;
        Ok(Segment { inner: py.detach(|| CoreSegment::from_evaluations(&columns.cols, blowup)) })
    }

    /// Commits the LDE of columns given by coefficients.
    #[staticmethod]
    fn from_coefficients(py: Python<'_>, columns: &Columns, blowup: usize) -> PyResult<Segment> {
        check_shape(&columns.cols, blowup)?;
        let coeffs = columns.cols.clone();
        Ok(Segment { inner: py.detach(|| CoreSegment::from_coefficients(coeffs, blowup)) })
    }

    fn root<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.tree.root())
    }

    fn path<'py>(&self, py: Python<'py>, index: usize) -> PyResult<Vec<Bound<'py, PyBytes>>> {
        self.check_position(index)?;
        Ok(self.inner.tree.path(index).iter().map(|h| PyBytes::new(py, h)).collect())
    }

    /// The LDE rows at positions `qs`, each as `bytes` of words.
    fn rows<'py>(&self, py: Python<'py>, qs: Vec<usize>) -> PyResult<Vec<Bound<'py, PyBytes>>> {
        for &q in &qs {
            self.check_position(q)?;
        }
        let rows = py.detach(|| self.inner.rows(&qs));
        Ok(rows.iter().map(|r| to_bytes(py, r)).collect())
    }

    fn check_position(&self, q: usize) -> PyResult<()> {
        let size = self.inner.n() * self.inner.blowup;
        if q >= size {
            return Err(PyValueError::new_err(format!("position {q} is outside the LDE domain of {size} points")));
        }
        Ok(())
    }

    fn coefficients(&self) -> Columns {
        Columns { cols: self.inner.coeffs.clone() }
    }

    #[getter]
    fn width(&self) -> usize {
        self.inner.coeffs.len()
    }
}

fn check_shape(cols: &[Col], blowup: usize) -> PyResult<()> {
    let n = cols.first().map_or(0, |c| c.len());
    if cols.is_empty() || !n.is_power_of_two() || cols.iter().any(|c| c.len() != n) {
        return Err(PyValueError::new_err("columns must be one or more of one power-of-two length"));
    }
    if !blowup.is_power_of_two() {
        return Err(PyValueError::new_err(format!("blowup {blowup} is not a power of two")));
    }
    Ok(())
}

/// Every column of the segments, numbered across them; they must share one domain.
fn all_coeffs<'a>(segments: &'a [PyRef<'a, Segment>]) -> PyResult<Vec<&'a [Fe]>> {
    let first = segments.first().ok_or_else(|| PyValueError::new_err("no segments"))?;
    if segments.iter().any(|s| s.inner.n() != first.inner.n() || s.inner.blowup != first.inner.blowup) {
        return Err(PyValueError::new_err("segments differ in trace length or blowup"));
    }
    Ok(segments.iter().flat_map(|s| s.inner.coeffs.iter().map(|c| &c[..])).collect())
}

/// Column c (numbered across the segments) at each point: the out-of-domain values.
#[pyfunction]
fn evaluate_at<'py>(py: Python<'py>, segments: Vec<PyRef<'py, Segment>>, at: Vec<(usize, Bound<'py, PyBytes>)>) -> PyResult<Bound<'py, PyBytes>> {
    let columns = all_coeffs(&segments)?;
    let points = at
        .iter()
        .map(|(c, x)| {
            if *c >= columns.len() {
                return Err(PyValueError::new_err(format!("column {c} out of range")));
            }
            Ok((*c, word(x.as_bytes())?))
        })
        .collect::<PyResult<Vec<_>>>()?;
    let values = py.detach(|| stark::evaluate_at(&columns, &points));
    Ok(to_bytes(py, &values))
}

/// A constraint program (tools/stark_codegen/native_air.py emits its parts).
#[pyclass(module = "stark_native", frozen)]
pub struct Program {
    inner: CoreProgram,
}

fn operand(kind: u8, index: usize) -> PyResult<Operand> {
    match kind {
        0 => Ok(Operand::Node(index)),
        1 => Ok(Operand::Input(index)),
        2 => Ok(Operand::Const(index)),
        _ => Err(PyValueError::new_err(format!("unknown operand kind {kind}"))),
    }
}

#[pymethods]
impl Program {
    /// nodes: (op 0 add | 1 sub | 2 mul, a kind, a index, b kind, b index), kinds 0 node,
    /// 1 input, 2 constant; inputs: (0, column, offset) or (1, periodic index, 0); consts: words;
    /// outputs: (kind, index).
    #[new]
    fn new(nodes: Vec<(u8, u8, usize, u8, usize)>, inputs: Vec<(u8, usize, i64)>, consts: &[u8], outputs: Vec<(u8, usize)>) -> PyResult<Program> {
        let nodes = nodes
            .into_iter()
            .map(|(op, ak, ai, bk, bi)| {
                let op = match op {
                    0 => Op::Add,
                    1 => Op::Sub,
                    2 => Op::Mul,
                    _ => return Err(PyValueError::new_err(format!("unknown op {op}"))),
                };
                Ok((op, operand(ak, ai)?, operand(bk, bi)?))
            })
            .collect::<PyResult<Vec<_>>>()?;
        let inputs = inputs
            .into_iter()
            .map(|(kind, a, b)| match kind {
                0 => Ok(Input::Column { column: a, offset: b }),
                1 => Ok(Input::Periodic(a)),
                _ => Err(PyValueError::new_err(format!("unknown input kind {kind}"))),
            })
            .collect::<PyResult<Vec<_>>>()?;
        let outputs = outputs.into_iter().map(|(k, i)| operand(k, i)).collect::<PyResult<Vec<_>>>()?;
        CoreProgram::new(nodes, inputs, words(consts)?, outputs).map(|inner| Program { inner }).map_err(PyValueError::new_err)
    }
}

type RowSetSpec = (usize, usize, Vec<usize>, usize, Vec<usize>);

/// (step, offset, excluded rows, period, skipped residues) as offchain/prover/air.py resolves them.
fn row_sets(rows: Vec<RowSetSpec>, n: usize) -> PyResult<Vec<RowSet>> {
    rows.into_iter()
        .map(|(step, offset, exclude, period, skip)| {
            let ok = step.is_power_of_two() && step <= n && offset < step && exclude.iter().all(|&e| e < n && e % step == offset)
                && (skip.is_empty() || (period.is_power_of_two() && period % step == 0 && period <= n && skip.iter().all(|&r| r < period && r % step == offset)));
            if !ok {
                return Err(PyValueError::new_err(format!("malformed row set (step {step}, offset {offset}, period {period}) for {n} rows")));
            }
            Ok(RowSet { step, offset, exclude, period, skip })
        })
        .collect()
}

fn periodic_values(periodic: Vec<Bound<'_, PyBytes>>) -> PyResult<Vec<Vec<Fe>>> {
    periodic.iter().map(|p| words(p.as_bytes())).collect()
}

fn check_inputs(program: &CoreProgram, width: usize, n_periodic: usize) -> PyResult<()> {
    for input in &program.inputs {
        match *input {
            Input::Column { column, .. } if column >= width => return Err(PyValueError::new_err(format!("program reads column {column} of {width}"))),
            Input::Periodic(p) if p >= n_periodic => return Err(PyValueError::new_err(format!("program reads periodic column {p} of {n_periodic}"))),
            _ => {}
        }
    }
    Ok(())
}

/// The composition polynomial's parts (coefficients) from the committed segments.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn composition_parts(
    py: Python<'_>,
    program: &Program,
    segments: Vec<PyRef<'_, Segment>>,
    periodic: Vec<Bound<'_, PyBytes>>,
    group_rows: Vec<RowSetSpec>,
    group_of: Vec<usize>,
    alpha_powers: &[u8],
    n_parts: usize,
) -> PyResult<Columns> {
    let periodic = periodic_values(periodic)?;
    let alpha_powers = words(alpha_powers)?;
    let group_rows = row_sets(group_rows, segments.first().map_or(0, |s| s.inner.n()))?;
    let width = all_coeffs(&segments)?.len();
    check_inputs(&program.inner, width, periodic.len())?;
    let blowup = segments[0].inner.blowup;
    if !n_parts.is_power_of_two() || n_parts > blowup {
        return Err(PyValueError::new_err(format!("{n_parts} composition cosets do not divide the blowup {blowup}")));
    }
    if group_of.len() != program.inner.n_outputs() || alpha_powers.len() != group_of.len() || group_of.iter().any(|&g| g >= group_rows.len()) {
        return Err(PyValueError::new_err("one group and one α power per program output"));
    }
    let segs: Vec<&CoreSegment> = segments.iter().map(|s| &s.inner).collect();
    let input = CompositionInput { program: &program.inner, periodic: &periodic, group_rows: &group_rows, group_of: &group_of, alpha_powers: &alpha_powers };
    let cols = py.detach(|| stark::composition_parts(&input, &segs, n_parts));
    Ok(Columns { cols })
}

/// The first (constraint, row) that fails on the trace, or None.
#[pyfunction]
fn check(py: Python<'_>, program: &Program, columns: Vec<PyRef<'_, Columns>>, periodic: Vec<Bound<'_, PyBytes>>, rows: Vec<RowSetSpec>) -> PyResult<Option<(usize, usize)>> {
    let periodic = periodic_values(periodic)?;
    let cols: Vec<&[Fe]> = columns.iter().flat_map(|c| c.cols.iter().map(|c| &c[..])).collect();
    check_inputs(&program.inner, cols.len(), periodic.len())?;
    let rows = row_sets(rows, cols.first().map_or(0, |c| c.len()))?;
    if rows.len() != program.inner.n_outputs() {
        return Err(PyValueError::new_err("one row set per program output"));
    }
    Ok(py.detach(|| stark::check(&program.inner, &cols, &periodic, &rows)))
}

/// For each constraint, the lowest row of its set where it fails (None: it holds everywhere).
#[pyfunction]
fn violations(py: Python<'_>, program: &Program, columns: Vec<PyRef<'_, Columns>>, periodic: Vec<Bound<'_, PyBytes>>, rows: Vec<RowSetSpec>) -> PyResult<Vec<Option<usize>>> {
    let periodic = periodic_values(periodic)?;
    let cols: Vec<&[Fe]> = columns.iter().flat_map(|c| c.cols.iter().map(|c| &c[..])).collect();
    check_inputs(&program.inner, cols.len(), periodic.len())?;
    let rows = row_sets(rows, cols.first().map_or(0, |c| c.len()))?;
    if rows.len() != program.inner.n_outputs() {
        return Err(PyValueError::new_err("one row set per program output"));
    }
    Ok(py.detach(|| crate::tape::violations(&program.inner, &cols, &periodic, &rows)))
}

/// Every numerator of the program on every row of the columns (trace-domain semantics).
#[pyfunction]
fn evaluate_program(py: Python<'_>, program: &Program, columns: Vec<PyRef<'_, Columns>>, periodic: Vec<Bound<'_, PyBytes>>) -> PyResult<Columns> {
    let periodic = periodic_values(periodic)?;
    let cols: Vec<&[Fe]> = columns.iter().flat_map(|c| c.cols.iter().map(|c| &c[..])).collect();
    check_inputs(&program.inner, cols.len(), periodic.len())?;
    let rows = py.detach(|| crate::tape::evaluate_rows(&program.inner, &cols, &periodic));
    Ok(Columns { cols: rows.into_iter().map(Col::from_vec).collect() })
}

/// Single-core rates of the physical floor (bench/field.py), in this thread's CPU time: field
/// multiplications, NTT butterflies (size 2^log_n) and keccak permutations per CPU second.
#[pyfunction]
fn floor_rates(py: Python<'_>, log_n: u32) -> (f64, f64, f64) {
    use crate::thread_cpu_seconds as cpu;
    py.detach(|| {
        let n = 1usize << log_n;
        let a: Vec<Fe> = (0..n).map(|i| Fe::from(i as u64 + 7).square()).collect();
        let mut out = vec![Fe::zero(); n];
        let t = cpu();
        for r in 0..64 {
            for (i, o) in out.iter_mut().enumerate() {
                *o = &a[i] * &a[(i + r) & (n - 1)];
            }
        }
        let mul = 64.0 * n as f64 / (cpu() - t);
        std::hint::black_box(&out);
        let tw = crate::ntt::Twiddles::new(n);
        let t = cpu();
        for _ in 0..16 {
            tw.ntt(&mut out);
        }
        let ntt = 16.0 * (n / 2 * log_n as usize) as f64 / (cpu() - t);
        let block = vec![7u8; 136 * 64];
        let t = cpu();
        let mut h = [0u8; 32];
        for _ in 0..4096 {
            h = merkle::keccak(&block);
        }
        std::hint::black_box(h);
        let keccak = 4096.0 * 65.0 / (cpu() - t); // 136·64 bytes = 65 permutations
        (mul, ntt, keccak)
    })
}

/// The DEEP composition polynomial over the LDE domain (FRI's layer 0), from groups
/// (point, [(column across the segments, weight)]).
#[pyfunction]
fn deep_values(py: Python<'_>, segments: Vec<PyRef<'_, Segment>>, groups: Vec<(Bound<'_, PyBytes>, Vec<(usize, Bound<'_, PyBytes>)>)>, blowup: usize) -> PyResult<Columns> {
    let columns = all_coeffs(&segments)?;
    let groups = groups
        .iter()
        .map(|(p, terms)| {
            let terms = terms
                .iter()
                .map(|(c, w)| {
                    if *c >= columns.len() {
                        return Err(PyValueError::new_err(format!("column {c} out of range")));
                    }
                    Ok((*c, word(w.as_bytes())?))
                })
                .collect::<PyResult<Vec<_>>>()?;
            Ok((word(p.as_bytes())?, terms))
        })
        .collect::<PyResult<Vec<_>>>()?;
    let values = py.detach(|| stark::lde(&stark::deep_coefficients(&columns, &groups), blowup));
    Ok(Columns { cols: vec![Col::from_vec(values)] })
}

/// A committed FRI layer.
#[pyclass(module = "stark_native", frozen)]
pub struct FriLayer {
    inner: CoreFriLayer,
}

#[pymethods]
impl FriLayer {
    #[new]
    fn new(py: Python<'_>, values: &Columns, folding: usize) -> PyResult<FriLayer> {
        let v = values.cols.first().ok_or_else(|| PyValueError::new_err("no values"))?.clone();
        if !v.len().is_power_of_two() || v.len() < folding || !matches!(folding, 2 | 4 | 8) {
            return Err(PyValueError::new_err("a FRI layer is a power-of-two number of values, folded by 2, 4 or 8"));
        }
        Ok(FriLayer { inner: py.detach(|| CoreFriLayer::commit(v.to_vec(), folding)) })
    }

    fn root<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.tree.root())
    }

    /// The next layer's values, on shift^k·<w_(M/k)>.
    fn fold(&self, py: Python<'_>, shift: &[u8], beta: &[u8]) -> PyResult<Columns> {
        let (shift, beta) = (word(shift)?, word(beta)?);
        Ok(Columns { cols: vec![Col::from_vec(py.detach(|| self.inner.fold(&shift, &beta)))] })
    }

    /// Leaf j's values (words) and its Merkle path.
    fn decommit<'py>(&self, py: Python<'py>, j: usize) -> PyResult<(Bound<'py, PyBytes>, Vec<Bound<'py, PyBytes>>)> {
        let m = self.inner.values.len() / self.inner.folding;
        if j >= m {
            return Err(PyValueError::new_err(format!("leaf {j} is outside the layer's {m} leaves")));
        }
        let values: Vec<Fe> = (0..self.inner.folding).map(|t| self.inner.values[j + t * m].clone()).collect();
        Ok((to_bytes(py, &values), self.inner.tree.path(j).iter().map(|h| PyBytes::new(py, h)).collect()))
    }

    #[getter]
    fn size(&self) -> usize {
        self.inner.values.len()
    }
}

/// Coefficients of the polynomial taking the values on shift·<w_M>.
#[pyfunction]
fn interpolate_coset<'py>(py: Python<'py>, values: &Columns, shift: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let shift = word(shift)?;
    let v = &values.cols[0];
    let coeffs = py.detach(|| stark::interpolate_coset(v, &shift));
    Ok(to_bytes(py, &coeffs))
}

/// The smallest proof-of-work nonce (offchain/prover/channel.py).
#[pyfunction]
fn grind(py: Python<'_>, state: &[u8], bits: u32) -> PyResult<u64> {
    if bits >= 64 {
        return Err(PyValueError::new_err("grinding bits must be below 64"));
    }
    let state = state.to_vec();
    Ok(py.detach(|| merkle::grind(&state, bits)))
}

#[pyfunction]
fn keccak<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, &merkle::keccak(data))
}

/// Worker threads of the pool the heavy phases run on.
#[pyfunction]
fn threads() -> usize {
    rayon::current_num_threads()
}

#[pymodule]
fn stark_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Columns>()?;
    m.add_class::<Segment>()?;
    m.add_class::<Program>()?;
    m.add_class::<FriLayer>()?;
    m.add_function(wrap_pyfunction!(evaluate_at, m)?)?;
    m.add_function(wrap_pyfunction!(composition_parts, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(violations, m)?)?;
    m.add_function(wrap_pyfunction!(deep_values, m)?)?;
    m.add_function(wrap_pyfunction!(interpolate_coset, m)?)?;
    m.add_function(wrap_pyfunction!(grind, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_program, m)?)?;
    m.add_function(wrap_pyfunction!(floor_rates, m)?)?;
    m.add_function(wrap_pyfunction!(keccak, m)?)?;
    m.add_function(wrap_pyfunction!(threads, m)?)?;
    crate::cairo::register(m)?;
    Ok(())
}
