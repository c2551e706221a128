//! The prover's heavy phases over column-major native arrays, in the conventions of
//! offchain/prover/README.md (LDE domain point j = s·w_N^j, trace row i = w_N^(i·b)).
//!
//! Memory stays a small multiple of the trace: a segment keeps its columns' coefficients and its
//! Merkle tree only; the LDE is produced one trace-sized coset at a time (coset k holds the
//! points j = k + b·i) when it is committed and again, for the few cosets the composition needs,
//! when constraints are evaluated. Queries evaluate the coefficients at their points.
use crate::field::{coset_shift, log2, powers, root_of_unity, Fe};
use crate::merkle::{hash_row, Hash, MerkleTree};
use crate::ntt::{coset_offset, evaluate_many, Twiddles};
use crate::tape::{self, Program, RowSet};
use rayon::prelude::*;

/// One committed block of columns: coefficients (n each) and the tree of its LDE rows.
pub struct Segment {
    pub coeffs: Vec<Vec<Fe>>,
    pub tree: MerkleTree,
    pub blowup: usize,
}

/// Coset k of the LDE of every column in `coeffs`, into `out` (reused between cosets).
fn coset_values(coeffs: &[&[Fe]], twiddles: &Twiddles, blowup: usize, k: usize, out: &mut Vec<Vec<Fe>>) {
    let n = twiddles.n;
    let offset = coset_offset(&coset_shift(), n * blowup, k);
    let scale = powers(&offset, &Fe::one(), n);
    out.resize_with(coeffs.len(), Vec::new);
    out.par_iter_mut().zip(coeffs.par_iter()).for_each(|(buf, col)| {
        buf.clear();
        buf.extend_from_slice(col);
        twiddles.coset_ntt(buf, &scale);
    });
}

impl Segment {
    /// Commits columns given by their coefficients (n each, n a power of two).
    pub fn from_coefficients(coeffs: Vec<Vec<Fe>>, blowup: usize) -> Segment {
        let n = coeffs[0].len();
        let twiddles = Twiddles::new(n);
        let refs: Vec<&[Fe]> = coeffs.iter().map(|c| &c[..]).collect();
        let mut buffer = Vec::new();
        let mut by_coset: Vec<Vec<Hash>> = Vec::with_capacity(blowup);
        for k in 0..blowup {
            coset_values(&refs, &twiddles, blowup, k, &mut buffer);
            let columns = &buffer;
            by_coset.push((0..n).into_par_iter().map(|i| hash_row(columns.iter().map(|c| &c[i]))).collect());
        }
        drop(buffer);
        let leaves: Vec<Hash> = (0..n * blowup).map(|j| by_coset[j % blowup][j / blowup]).collect();
        drop(by_coset);
        Segment { coeffs, tree: MerkleTree::from_leaves(leaves), blowup }
    }

    /// Commits columns given by their values on the trace domain <w_n>.
    pub fn from_evaluations(columns: &[Vec<Fe>], blowup: usize) -> Segment {
        let twiddles = Twiddles::new(columns[0].len());
        let coeffs: Vec<Vec<Fe>> = columns
            .par_iter()
            .map(|c| {
                let mut c = c.clone();
                twiddles.intt(&mut c);
                c
            })
            .collect();
        Self::from_coefficients(coeffs, blowup)
    }

    pub fn n(&self) -> usize {
        self.coeffs[0].len()
    }

    /// The rows of the LDE at positions `qs`: each column evaluated at s·w_N^q.
    pub fn rows(&self, qs: &[usize]) -> Vec<Vec<Fe>> {
        let w = root_of_unity(log2(self.n() * self.blowup));
        let refs: Vec<&[Fe]> = self.coeffs.iter().map(|c| &c[..]).collect();
        qs.par_iter()
            .map(|&q| {
                let x = coset_shift() * w.pow(q as u64);
                refs.par_chunks(4).flat_map_iter(|group| evaluate_many(group, &x)).collect()
            })
            .collect()
    }
}

/// Evaluates column `c` of `columns` (coefficients) at each (c, point) pair.
pub fn evaluate_at(columns: &[&[Fe]], at: &[(usize, Fe)]) -> Vec<Fe> {
    at.par_iter().map(|(c, x)| evaluate_many(&[columns[*c]], x).pop().unwrap()).collect()
}

/// 1/Z(x) for a row set over coset k (points c·w_n^i, c = s·w_N^k), as composition.py's
/// vanishing polynomial: Z(x) = (x^(n/step) − g^(offset·n/step)) / Π_e (x − g^e).
fn vanishing_inverse(rows: &RowSet, n: usize, coset: &Fe) -> Vec<Fe> {
    let g = root_of_unity(log2(n));
    let m = (n / rows.step) as u64;
    let w_step = root_of_unity(log2(rows.step));
    let target = g.pow(rows.offset as u64 * m);
    let mut base = powers(&w_step, &coset.pow(m), rows.step);
    for b in base.iter_mut() {
        *b = &*b - &target;
    }
    crate::field::batch_inverse(&mut base).expect("the coset avoids the trace domain");
    let mut out: Vec<Fe> = (0..n).into_par_iter().map(|i| base[i % rows.step].clone()).collect();
    if !rows.exclude.is_empty() {
        let xs = powers(&g, coset, n);
        let excluded: Vec<Fe> = rows.exclude.iter().map(|&e| g.pow(e as u64)).collect();
        out.par_iter_mut().zip(xs.par_iter()).for_each(|(o, x)| {
            for e in &excluded {
                *o = &*o * &(x - e);
            }
        });
    }
    out
}

/// Periodic column values over coset k: p(x^(n/m)) with p the interpolant of the column over
/// <w_m> (composition.py periodic_on_lde); one period of m values.
fn periodic_on_coset(columns: &[Vec<Fe>], n: usize, coset: &Fe) -> Vec<Vec<Fe>> {
    columns
        .iter()
        .map(|col| {
            let m = col.len();
            let tw = Twiddles::new(m);
            let mut values = col.clone();
            tw.intt(&mut values);
            let shift = coset.pow((n / m) as u64);
            tw.coset_ntt(&mut values, &powers(&shift, &Fe::one(), m));
            values
        })
        .collect()
}

pub struct CompositionInput<'a> {
    pub program: &'a Program,
    pub periodic: &'a [Vec<Fe>],
    pub group_rows: &'a [RowSet],
    pub group_of: &'a [usize],
    pub alpha_powers: &'a [Fe],
}

/// The coefficients of the composition polynomial C = Σ_k α^k N_k / Z_k, split into `n_parts`
/// polynomials of degree < n. C has degree < n_parts·n (the AIR's declared degrees, checked
/// against the program's by the caller), so its values on the n_parts cosets k = t·b/n_parts,
/// which together are the domain s·<w_(n_parts·n)>, determine it: only those cosets are evaluated.
pub fn composition_parts(input: &CompositionInput, segments: &[&Segment], n_parts: usize) -> Vec<Vec<Fe>> {
    let n = segments[0].n();
    let blowup = segments[0].blowup;
    assert!(n_parts <= blowup && blowup % n_parts == 0, "composition parts must divide the blowup");
    let twiddles = Twiddles::new(n);
    let coeffs: Vec<&[Fe]> = segments.iter().flat_map(|s| s.coeffs.iter().map(|c| &c[..])).collect();
    let mut buffer = Vec::new();
    let mut values = vec![Fe::zero(); n_parts * n];
    let mut coset_out = vec![Fe::zero(); n];
    for t in 0..n_parts {
        let k = t * (blowup / n_parts);
        coset_values(&coeffs, &twiddles, blowup, k, &mut buffer);
        let offset = coset_offset(&coset_shift(), n * blowup, k);
        let zinv: Vec<Vec<Fe>> = input.group_rows.iter().map(|r| vanishing_inverse(r, n, &offset)).collect();
        let periodic = periodic_on_coset(input.periodic, n, &offset);
        let columns: Vec<&[Fe]> = buffer.iter().map(|c| &c[..]).collect();
        tape::composition(input.program, &columns, &periodic, input.group_of, input.alpha_powers, &zinv, &mut coset_out);
        // Point m of s·<w_(n_parts·n)> is coset m mod n_parts, row m / n_parts.
        values.par_chunks_mut(n_parts).zip(coset_out.par_iter()).for_each(|(v, c)| v[t] = c.clone());
    }
    drop(buffer);
    let big = Twiddles::new(n_parts * n);
    let unshift = powers(&coset_shift().inv().unwrap(), &Fe::one(), n_parts * n);
    big.coset_intt(&mut values, &unshift);
    values.chunks(n).map(|c| c.to_vec()).collect()
}

/// The DEEP composition polynomial's coefficients: Σ_g (A_g(x) − A_g(p_g)) / (x − p_g) with
/// A_g = Σ_t γ_t·f_t over the group's columns (coefficients). Each quotient is exact because the
/// out-of-domain values are the columns' own values, so this equals the pointwise quotient
/// DEEP(x) of offchain/prover/README.md step 6 at every point.
pub fn deep_coefficients(columns: &[&[Fe]], groups: &[(Fe, Vec<(usize, Fe)>)]) -> Vec<Fe> {
    let n = columns[0].len();
    let quotients: Vec<Vec<Fe>> = groups
        .par_iter()
        .map(|(point, terms)| {
            let mut combined = vec![Fe::zero(); n];
            combined.par_chunks_mut(1 << 12).enumerate().for_each(|(b, chunk)| {
                let start = b << 12;
                for (c, weight) in terms {
                    for (i, v) in chunk.iter_mut().enumerate() {
                        *v = &*v + &(&columns[*c][start + i] * weight);
                    }
                }
            });
            // Synthetic division by (x − point): q_(i−1) = a_i + point·q_i.
            let mut q = vec![Fe::zero(); n];
            let mut acc = Fe::zero();
            for i in (1..n).rev() {
                acc = &combined[i] + &(&acc * point);
                q[i - 1] = acc.clone();
            }
            q
        })
        .collect();
    let mut out = vec![Fe::zero(); n];
    out.par_iter_mut().enumerate().for_each(|(i, o)| {
        for q in &quotients {
            *o = &*o + &q[i];
        }
    });
    out
}

/// Evaluations of a polynomial (coefficients, degree < n) over the whole LDE domain s·<w_N>,
/// natural order.
pub fn lde(coeffs: &[Fe], blowup: usize) -> Vec<Fe> {
    let n = coeffs.len();
    let twiddles = Twiddles::new(n);
    let cosets: Vec<Vec<Fe>> = (0..blowup)
        .into_par_iter()
        .map(|k| {
            let offset = coset_offset(&coset_shift(), n * blowup, k);
            let mut values = coeffs.to_vec();
            twiddles.coset_ntt(&mut values, &powers(&offset, &Fe::one(), n));
            values
        })
        .collect();
    let mut out = vec![Fe::zero(); n * blowup];
    out.par_iter_mut().enumerate().for_each(|(j, o)| *o = cosets[j % blowup][j / blowup].clone());
    out
}

/// A committed FRI layer: leaf j holds the values at j + t·M/k, t < k (offchain/prover/fri.py).
pub struct FriLayer {
    pub values: Vec<Fe>,
    pub folding: usize,
    pub tree: MerkleTree,
}

impl FriLayer {
    pub fn commit(values: Vec<Fe>, folding: usize) -> FriLayer {
        let m = values.len() / folding;
        let leaves: Vec<Hash> = (0..m).into_par_iter().map(|j| hash_row((0..folding).map(|t| &values[j + t * m]))).collect();
        FriLayer { values, folding, tree: MerkleTree::from_leaves(leaves) }
    }

    /// The next layer: f'(x^k) = (1/k) Σ_r (β/x)^r Σ_t f(x·ζ^t)·ζ^(−rt) over shift·<w_M>.
    pub fn fold(&self, shift: &Fe, beta: &Fe) -> Vec<Fe> {
        let k = self.folding;
        let size = self.values.len();
        let m = size / k;
        let w = root_of_unity(log2(size));
        let zeta_inv = w.pow(m as u64).inv().unwrap();
        let table: Vec<Vec<Fe>> = (0..k).map(|r| (0..k).map(|t| zeta_inv.pow((r * t) as u64)).collect()).collect();
        let k_inv = Fe::from(k as u64).inv().unwrap();
        let x_inv = powers(&w.inv().unwrap(), &shift.inv().unwrap(), m);
        let v = &self.values;
        (0..m)
            .into_par_iter()
            .map(|j| {
                let bx = beta * &x_inv[j];
                let mut out = Fe::zero();
                let mut factor = Fe::one();
                for row in &table {
                    let mut inner = Fe::zero();
                    for (t, z) in row.iter().enumerate() {
                        inner = &inner + &(&v[j + t * m] * z);
                    }
                    out = &out + &(&inner * &factor);
                    factor = &factor * &bx;
                }
                &out * &k_inv
            })
            .collect()
    }
}

/// Coefficients of the polynomial taking `values` on shift·<w_M>.
pub fn interpolate_coset(values: &[Fe], shift: &Fe) -> Vec<Fe> {
    let m = values.len();
    let tw = Twiddles::new(m);
    let mut out = values.to_vec();
    tw.coset_intt(&mut out, &powers(&shift.inv().unwrap(), &Fe::one(), m));
    out
}

/// The trace check on the trace domain (`columns` are the trace's values): the first failing
/// (constraint, row), with periodic column p at row i = p[i mod len].
pub fn check(program: &Program, columns: &[&[Fe]], periodic: &[Vec<Fe>], rows: &[RowSet]) -> Option<(usize, usize)> {
    tape::first_violation(program, columns, periodic, rows)
}
