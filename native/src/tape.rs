//! The native constraint evaluator: a straight-line program (the symbolic tape of
//! tools/stark_codegen/symbolic.py, recorded by running the AIR's Python `evaluate` on symbols and
//! emitted by tools/stark_codegen/native_air.py) run over chunks of rows, one node at a time per
//! chunk so the dispatch is paid once per CHUNK rows. Registers are reused after a node's last
//! use, so a chunk's working set stays in cache; rows are read in place from the columns (only
//! a chunk that wraps past the last row is copied).
use crate::field::{add, sub, Fe};
use rayon::prelude::*;

pub const CHUNK: usize = 256;

#[derive(Clone, Copy, Debug)]
pub enum Operand {
    Node(usize),
    Input(usize),
    Const(usize),
}

#[derive(Clone, Copy, Debug)]
pub enum Op {
    Add,
    Sub,
    Mul,
}

#[derive(Clone, Copy, Debug)]
pub enum Input {
    /// column (main then aux numbering) at a row offset
    Column { column: usize, offset: i64 },
    /// periodic column k
    Periodic(usize),
}

pub struct Program {
    nodes: Vec<(Op, Operand, Operand)>,
    pub inputs: Vec<Input>,
    consts: Vec<Fe>,
    pub outputs: Vec<Operand>,
    slot: Vec<usize>,
    n_slots: usize,
}

enum Src<'a> {
    Slice(&'a [Fe]),
    Const(&'a Fe),
}

impl Program {
    pub fn new(nodes: Vec<(Op, Operand, Operand)>, inputs: Vec<Input>, consts: Vec<Fe>, outputs: Vec<Operand>) -> Result<Self, String> {
        let check = |o: &Operand, before: usize| match *o {
            Operand::Node(k) if k >= before => Err(format!("node operand {k} is not computed before its use")),
            Operand::Input(k) if k >= inputs.len() => Err(format!("input {k} out of range")),
            Operand::Const(k) if k >= consts.len() => Err(format!("constant {k} out of range")),
            _ => Ok(()),
        };
        for (t, (_, a, b)) in nodes.iter().enumerate() {
            check(a, t)?;
            check(b, t)?;
        }
        for o in &outputs {
            check(o, nodes.len())?;
        }
        // Liveness: a node's register is free after its last reader (at once if it has none);
        // outputs live to the end.
        let mut last_use: Vec<usize> = (0..nodes.len()).collect();
        for (t, (_, a, b)) in nodes.iter().enumerate() {
            for o in [a, b] {
                if let Operand::Node(k) = o {
                    last_use[*k] = t;
                }
            }
        }
        for o in &outputs {
            if let Operand::Node(k) = o {
                last_use[*k] = usize::MAX;
            }
        }
        let mut slot = vec![0usize; nodes.len()];
        let mut free: Vec<usize> = Vec::new();
        let mut n_slots = 0;
        for t in 0..nodes.len() {
            slot[t] = free.pop().unwrap_or_else(|| {
                n_slots += 1;
                n_slots - 1
            });
            let (_, a, b) = nodes[t];
            let mut released: Vec<usize> = Vec::new();
            for o in [a, b] {
                if let Operand::Node(k) = o {
                    if last_use[k] == t && !released.contains(&slot[k]) {
                        released.push(slot[k]);
                    }
                }
            }
            if last_use[t] == t {
                released.push(slot[t]);
            }
            free.extend(released);
        }
        Ok(Program { nodes, inputs, consts, outputs, slot, n_slots })
    }

    pub fn n_outputs(&self) -> usize {
        self.outputs.len()
    }

    /// Evaluates every node over `len` rows whose inputs are `inputs` (one slice per program
    /// input, `len` values each); returns the output values as slices into `regs`, or constants.
    fn run(&self, inputs: &[&[Fe]], len: usize, regs: &mut Vec<Fe>) {
        if regs.len() < self.n_slots * CHUNK {
            regs.resize(self.n_slots * CHUNK, Fe::zero());
        }
        let base = regs.as_mut_ptr();
        for (t, &(op, a, b)) in self.nodes.iter().enumerate() {
            // SAFETY: each register is CHUNK elements at slot·CHUNK; a node's output slot is
            // allocated before its operands' slots are freed, so it never aliases an operand.
            let src = |o: Operand| -> Src {
                match o {
                    Operand::Node(k) => Src::Slice(unsafe { std::slice::from_raw_parts(base.add(self.slot[k] * CHUNK), len) }),
                    Operand::Input(k) => Src::Slice(inputs[k]),
                    Operand::Const(k) => Src::Const(&self.consts[k]),
                }
            };
            let out = unsafe { std::slice::from_raw_parts_mut(base.add(self.slot[t] * CHUNK), len) };
            apply(op, src(a), src(b), out);
        }
    }

    fn output<'a>(&'a self, k: usize, inputs: &[&'a [Fe]], regs: &'a [Fe], len: usize) -> Src<'a> {
        match self.outputs[k] {
            Operand::Node(t) => Src::Slice(&regs[self.slot[t] * CHUNK..self.slot[t] * CHUNK + len]),
            Operand::Input(i) => Src::Slice(inputs[i]),
            Operand::Const(c) => Src::Const(&self.consts[c]),
        }
    }

    /// Runs the program over every chunk of rows of the columns' domain (chunks in parallel, rows
    /// read as on the trace domain) and maps each chunk with `f(first row, outputs)`.
    fn map_chunks<T: Send>(&self, columns: &[&[Fe]], periodic: &[Vec<Fe>], f: impl Fn(usize, &[Src]) -> T + Sync + Send) -> Vec<T> {
        let n = columns[0].len();
        (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map_init(
                || (Vec::new(), Vec::new()),
                |(regs, scratch), c| {
                    let start = c * CHUNK;
                    let len = CHUNK.min(n - start);
                    let inputs = self.gather(columns, periodic, start, len, scratch);
                    self.run(&inputs, len, regs);
                    let outputs: Vec<Src> = (0..self.n_outputs()).map(|k| self.output(k, &inputs, regs, len)).collect();
                    f(start, &outputs)
                },
            )
            .collect()
    }

    /// The program's input slices for rows [start, start + len) of a domain of `n` rows:
    /// column inputs are read in place unless they wrap, periodic inputs are materialised.
    fn gather<'a>(&self, columns: &[&'a [Fe]], periodic: &[Vec<Fe>], start: usize, len: usize, scratch: &'a mut Vec<Vec<Fe>>) -> Vec<&'a [Fe]> {
        let n = columns.first().map(|c| c.len()).unwrap_or(0);
        scratch.resize(self.inputs.len(), Vec::new());
        let mut owned: Vec<Option<usize>> = vec![None; self.inputs.len()];
        for (k, input) in self.inputs.iter().enumerate() {
            match *input {
                Input::Column { column, offset } => {
                    let first = (start as i64 + offset).rem_euclid(n as i64) as usize;
                    if first + len > n {
                        let col = columns[column];
                        scratch[k].clear();
                        scratch[k].extend((0..len).map(|j| col[(first + j) % n].clone()));
                        owned[k] = Some(k);
                    }
                }
                Input::Periodic(p) => {
                    let values = &periodic[p];
                    let m = values.len();
                    scratch[k].clear();
                    scratch[k].extend((0..len).map(|j| values[(start + j) % m].clone()));
                    owned[k] = Some(k);
                }
            }
        }
        let scratch: &'a Vec<Vec<Fe>> = scratch;
        self.inputs
            .iter()
            .enumerate()
            .map(|(k, input)| match (owned[k], *input) {
                (Some(_), _) => &scratch[k][..],
                (None, Input::Column { column, offset }) => {
                    let first = (start as i64 + offset).rem_euclid(n as i64) as usize;
                    &columns[column][first..first + len]
                }
                (None, Input::Periodic(_)) => unreachable!(),
            })
            .collect()
    }
}

fn apply(op: Op, a: Src, b: Src, out: &mut [Fe]) {
    match (op, a, b) {
        (Op::Add, Src::Slice(x), Src::Slice(y)) => out.iter_mut().zip(x.iter().zip(y)).for_each(|(o, (x, y))| *o = add(x, y)),
        (Op::Add, Src::Slice(x), Src::Const(c)) | (Op::Add, Src::Const(c), Src::Slice(x)) => out.iter_mut().zip(x).for_each(|(o, x)| *o = add(x, c)),
        (Op::Sub, Src::Slice(x), Src::Slice(y)) => out.iter_mut().zip(x.iter().zip(y)).for_each(|(o, (x, y))| *o = sub(x, y)),
        (Op::Sub, Src::Slice(x), Src::Const(c)) => out.iter_mut().zip(x).for_each(|(o, x)| *o = sub(x, c)),
        (Op::Sub, Src::Const(c), Src::Slice(y)) => out.iter_mut().zip(y).for_each(|(o, y)| *o = sub(c, y)),
        (Op::Mul, Src::Slice(x), Src::Slice(y)) => out.iter_mut().zip(x.iter().zip(y)).for_each(|(o, (x, y))| *o = x * y),
        (Op::Mul, Src::Slice(x), Src::Const(c)) | (Op::Mul, Src::Const(c), Src::Slice(x)) => out.iter_mut().zip(x).for_each(|(o, x)| *o = x * c),
        (op, Src::Const(x), Src::Const(y)) => {
            let v = match op {
                Op::Add => x + y,
                Op::Sub => x - y,
                Op::Mul => x * y,
            };
            out.iter_mut().for_each(|o| *o = v.clone());
        }
    }
}

/// Row sets of offchain/prover/air.py RowSet, resolved: rows i ≡ offset (mod step) minus `exclude`,
/// minus the rows whose residue modulo `period` is in `skip`.
#[derive(Clone, Debug)]
pub struct RowSet {
    pub step: usize,
    pub offset: usize,
    pub exclude: Vec<usize>,
    pub period: usize,
    pub skip: Vec<usize>,
}

impl RowSet {
    fn contains(&self, row: usize) -> bool {
        row % self.step == self.offset && !self.exclude.contains(&row) && !(!self.skip.is_empty() && self.skip.contains(&(row % self.period)))
    }
}

/// Σ_g (Σ_{k in g} α^k N_k(x)) · zinv_g(x) over one coset of n rows: `columns` are the coset's
/// values of every column, `periodic` the periodic columns' values on it (one period each),
/// `group_of[k]` the row-set group of constraint k, `zinv[g]` 1/Z_g over the coset.
pub fn composition(program: &Program, columns: &[&[Fe]], periodic: &[Vec<Fe>], group_of: &[usize], alpha_powers: &[Fe], zinv: &[crate::store::Col], out: &mut [Fe]) {
    let n_groups = zinv.len();
    out.par_chunks_mut(CHUNK).enumerate().for_each_init(
        || (Vec::new(), Vec::new(), vec![Fe::zero(); n_groups * CHUNK]),
        |(regs, scratch, acc), (c, out)| {
            let start = c * CHUNK;
            let len = out.len();
            let inputs = program.gather(columns, periodic, start, len, scratch);
            program.run(&inputs, len, regs);
            acc.iter_mut().for_each(|v| *v = Fe::zero());
            for (k, (&g, coeff)) in group_of.iter().zip(alpha_powers).enumerate() {
                let acc = &mut acc[g * CHUNK..g * CHUNK + len];
                match program.output(k, &inputs, regs, len) {
                    Src::Slice(v) => acc.iter_mut().zip(v).for_each(|(a, v)| *a = add(a, &(v * coeff))),
                    Src::Const(v) => {
                        let term = v * coeff;
                        acc.iter_mut().for_each(|a| *a = add(a, &term));
                    }
                }
            }
            for (j, o) in out.iter_mut().enumerate() {
                let mut total = Fe::zero();
                for g in 0..n_groups {
                    total = add(&total, &(&acc[g * CHUNK + j] * &zinv[g][start + j]));
                }
                *o = total;
            }
        },
    );
}

/// The first (constraint, row) whose numerator is not zero on a row of its set, constraints in
/// order and the lowest row of the first failing one (offchain/prover/reference.py check).
pub fn first_violation(program: &Program, columns: &[&[Fe]], periodic: &[Vec<Fe>], rows: &[RowSet]) -> Option<(usize, usize)> {
    violations(program, columns, periodic, rows).into_iter().enumerate().find_map(|(k, row)| row.map(|r| (k, r)))
}

/// For each constraint, the lowest row of its set where its numerator is not zero (None: none).
pub fn violations(program: &Program, columns: &[&[Fe]], periodic: &[Vec<Fe>], rows: &[RowSet]) -> Vec<Option<usize>> {
    let zero = Fe::zero();
    let per_chunk: Vec<Vec<Option<usize>>> = program.map_chunks(columns, periodic, |start, outputs| {
        outputs
            .iter()
            .zip(rows)
            .map(|(values, set)| {
                let len = CHUNK.min(columns[0].len() - start);
                (0..len)
                    .find(|&j| {
                        set.contains(start + j)
                            && match values {
                                Src::Slice(v) => v[j] != zero,
                                Src::Const(v) => **v != zero,
                            }
                    })
                    .map(|j| start + j)
            })
            .collect()
    });
    (0..program.n_outputs()).map(|k| per_chunk.iter().filter_map(|rows| rows[k]).min()).collect()
}

/// Every numerator on every row (the trace-domain semantics of `first_violation`): for tests
/// of the program against the AIR's Python `evaluate`.
pub fn evaluate_rows(program: &Program, columns: &[&[Fe]], periodic: &[Vec<Fe>]) -> Vec<Vec<Fe>> {
    let n = columns[0].len();
    let chunks: Vec<Vec<Vec<Fe>>> = program.map_chunks(columns, periodic, |start, outputs| {
        let len = CHUNK.min(n - start);
        outputs
            .iter()
            .map(|values| match values {
                Src::Slice(v) => v.to_vec(),
                Src::Const(v) => vec![(*v).clone(); len],
            })
            .collect()
    });
    (0..program.n_outputs()).map(|k| chunks.iter().flat_map(|c| c[k].iter().cloned()).collect()).collect()
}
