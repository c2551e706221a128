//! The prover's heavy phases over column-major native arrays, in the conventions of
//! offchain/prover/README.md (LDE domain point j = s·w_N^j, trace row i = w_N^(i·b)).
//!
//! Memory stays a small multiple of the trace: a segment keeps its columns' coefficients and its
//! Merkle tree; the LDE is produced one trace-sized coset at a time (coset k holds the points
//! j = k + b·i) and, within it, one block of columns at a time, hashed and spilled to a file,
//! from which the composition reads the few cosets it needs and the queries their rows.
//!
//! A tall trace (columns file-backed: store.rs) spills no LDE, which would take b copies of the
//! trace on disk (140 GB at 2^22 rows): the composition extends its cosets again from the
//! coefficients, into file-backed columns, and the queries' rows are evaluated from them.
use crate::field::{add, coset_shift, from_be_bytes, log2, powers, root_of_unity, to_be_bytes, Fe};
use crate::merkle::{hash_row, Hash, MerkleTree};
use crate::store::{io, unlinked_direct_file, unlinked_file, Col, DirectBuf, DIRECT_ALIGN};
use sha3::{Digest, Keccak256};
use std::fs::File;
use std::os::unix::fs::FileExt;
use crate::ntt::{coset_offset, evaluate_points, Twiddles};
use crate::tape::{self, Program, RowSet};
use rayon::prelude::*;

/// The LDE of a segment, spilled to an unlinked temporary file as it is hashed: coset k (the
/// points j = k + b·i), column block c (columns BLOCK_COLUMNS·c ..), row i at byte
/// k·n·row_bytes + n·start_c + i·block_bytes_c, each row of a block its elements as 32-byte
/// big-endian words (the bytes the leaf hashes, in order). The composition reads its cosets back
/// and the queries their rows, instead of recomputing them, while the process holds one block of
/// one coset at a time. The file is O_DIRECT when n is a whole number of row blocks (every piece
/// is then page-aligned): the spill costs the disk's time, not the cores' (store.rs).
pub struct LdeFile {
    file: File,
    direct: bool,
    n: usize,
    width: usize,
}

impl LdeFile {
    fn new(n: usize, width: usize) -> std::io::Result<LdeFile> {
        // Unlinked: gone when the segment is dropped, even on a crash.
        let (file, direct) = if n % ROW_BLOCK == 0 { unlinked_direct_file("lde")? } else { (unlinked_file("lde")?, false) };
        Ok(LdeFile { file, direct, n, width })
    }

    /// The column blocks: (first column, number of columns).
    fn blocks(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.width).step_by(BLOCK_COLUMNS).map(|c| (c, BLOCK_COLUMNS.min(self.width - c)))
    }

    /// Where row `row` of coset k's block starting at column c lies.
    fn offset(&self, k: usize, c: usize, width: usize, row: usize) -> u64 {
        (32 * (k * self.n * self.width + self.n * c + row * width)) as u64
    }

    fn write(&self, at: u64, piece: &[u8]) -> std::io::Result<()> {
        self.file.write_all_at(piece, at)
    }

    /// Reads `len` bytes at `at` into `buf` and returns where they start in it: a direct file is
    /// read in whole pages around them (the file is a whole number of pages long).
    fn read(&self, at: u64, len: usize, buf: &mut DirectBuf) -> std::io::Result<usize> {
        let align = if self.direct { DIRECT_ALIGN as u64 } else { 1 };
        let start = at - at % align;
        let skip = (at - start) as usize;
        buf.resize((skip + len).next_multiple_of(align as usize));
        self.file.read_exact_at(buf, start)?;
        Ok(skip)
    }
}

const ROW_BLOCK: usize = 1 << 11;
/// Columns extended together: a block of one coset is what the commitment holds besides the
/// coefficients (16 columns of 2^19 rows: 256 MiB), however wide the segment.
const BLOCK_COLUMNS: usize = 16;

/// One committed block of columns: coefficients (n each), the tree of its LDE rows, the rows
/// (spilled, unless the columns are file-backed).
pub struct Segment {
    pub coeffs: Vec<Col>,
    pub tree: MerkleTree,
    pub blowup: usize,
    lde: Option<LdeFile>,
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
    /// Commits columns given by their coefficients (n each, n a power of two). Each coset is
    /// extended a block of columns at a time; every row's leaf hash absorbs the block's words in
    /// turn (the sponge sees the row's bytes in order, so the leaf is keccak256 of the whole row).
    pub fn from_coefficients(coeffs: Vec<Col>, blowup: usize) -> Segment {
        let n = coeffs[0].len();
        let width = coeffs.len();
        let twiddles = Twiddles::new(n);
        let spill = !coeffs.iter().any(|c| c.is_mapped());
        let lde = io(LdeFile::new(n, width), "creating the LDE spill file");
        let blocks: Vec<(usize, usize)> = lde.blocks().collect();
        let mut by_coset: Vec<Vec<Hash>> = Vec::with_capacity(blowup);
        // A writer thread spills each piece while the next one is computed, so the cores never
        // wait on the disk (two pieces in flight bound the extra memory); it hands the buffers
        // back to be filled again.
        std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel::<(u64, DirectBuf)>(2);
            let (recycle, spare) = std::sync::mpsc::channel::<DirectBuf>();
            let keep = recycle.clone();
            let lde = &lde;
            // The writer's error is joined, not panicked in its thread: a scoped thread's panic
            // reaches the caller without its message.
            let writer = scope.spawn(move || -> std::io::Result<()> {
                for (at, piece) in receive {
                    lde.write(at, &piece)?;
                    let _ = recycle.send(piece);
                }
                Ok(())
            });
            let mut buffer = Vec::new();
            let mut sponges: Vec<Keccak256> = Vec::new();
            'cosets: for k in 0..blowup {
                sponges.clear();
                sponges.resize_with(n, Keccak256::new);
                for &(c0, w) in &blocks {
                    let refs: Vec<&[Fe]> = coeffs[c0..c0 + w].iter().map(|c| &c[..]).collect();
                    coset_values(&refs, &twiddles, blowup, k, &mut buffer);
                    let columns = &buffer;
                    let block_bytes = 32 * w;
                    for start in (0..n).step_by(ROW_BLOCK) {
                        let rows = ROW_BLOCK.min(n - start);
                        let mut piece = spare.try_recv().unwrap_or_default();
                        piece.resize(rows * block_bytes);
                        piece.par_chunks_mut(block_bytes).zip(sponges[start..start + rows].par_iter_mut()).enumerate().for_each(
                            |(r, (row, sponge))| {
                                for (c, col) in columns.iter().enumerate() {
                                    row[32 * c..32 * c + 32].copy_from_slice(&to_be_bytes(&col[start + r]));
                                }
                                sponge.update(&row[..]);
                            },
                        );
                        if spill {
                            if send.send((lde.offset(k, c0, w, start), piece)).is_err() {
                                break 'cosets; // the writer failed: its error follows
                            }
                        } else {
                            let _ = keep.send(piece);
                        }
                    }
                }
                by_coset.push(std::mem::take(&mut sponges).into_par_iter().map(|h| h.finalize().into()).collect());
            }
            drop(send);
            io(writer.join().expect("the spill writer does not panic"), "writing the LDE spill file");
        });
        let leaves: Vec<Hash> = (0..n * blowup).map(|j| by_coset[j % blowup][j / blowup]).collect();
        drop(by_coset);
        Segment { coeffs, tree: MerkleTree::from_leaves(leaves), blowup, lde: spill.then_some(lde) }
    }

    /// Commits columns given by their values on the trace domain <w_n>.
    pub fn from_evaluations(columns: &[Col], blowup: usize) -> Segment {
        let twiddles = Twiddles::new(columns[0].len());
        let coeffs: Vec<Col> = columns
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

    pub fn width(&self) -> usize {
        self.coeffs.len()
    }

    /// The rows of the LDE at positions `qs` (point s·w_N^q), read back from the spill file, or
    /// evaluated from the coefficients where nothing was spilled.
    pub fn rows(&self, qs: &[usize]) -> Vec<Vec<Fe>> {
        let Some(lde) = &self.lde else {
            let n = self.n();
            let w = root_of_unity(log2(n * self.blowup));
            let xs: Vec<Fe> = qs.iter().map(|&q| &coset_shift() * &w.pow(q as u64)).collect();
            let by_column: Vec<Vec<Fe>> = self.coeffs.par_iter().map(|c| evaluate_points(c, &xs)).collect();
            return (0..qs.len()).map(|k| by_column.iter().map(|v| v[k].clone()).collect()).collect();
        };
        qs.par_iter()
            .map_init(DirectBuf::new, |buf, &q| {
                let mut row = Vec::with_capacity(self.width());
                for (c, w) in lde.blocks() {
                    let at = io(lde.read(lde.offset(q % self.blowup, c, w, q / self.blowup), 32 * w, buf), "reading the LDE spill file");
                    row.extend(buf[at..at + 32 * w].chunks(32).map(|x| from_be_bytes(x).expect("canonical")));
                }
                row
            })
            .collect()
    }

    /// Coset k of every column (values at points k + b·i) into `out` (width columns of n rows,
    /// reused between cosets): read back from the spill file, or extended again from the
    /// coefficients.
    fn read_coset(&self, k: usize, out: &mut [Col]) {
        let n = self.n();
        let Some(lde) = &self.lde else {
            let twiddles = Twiddles::new(n);
            let offset = coset_offset(&coset_shift(), n * self.blowup, k);
            let scale = powers(&offset, &Fe::one(), n);
            out.par_iter_mut().zip(self.coeffs.par_iter()).for_each(|(values, c)| {
                values.copy_from_slice(c);
                twiddles.coset_ntt(values, &scale);
            });
            return;
        };
        let blocks: Vec<(usize, usize)> = lde.blocks().collect();
        let blocks = &blocks;
        // A reader thread fetches the next row block from the disk while this one is converted.
        std::thread::scope(|scope| {
            type Parts = Vec<(DirectBuf, usize)>;
            let (send, receive) = std::sync::mpsc::sync_channel::<(usize, usize, Parts)>(1);
            let (recycle, spare) = std::sync::mpsc::channel::<Parts>();
            let reader = scope.spawn(move || -> std::io::Result<()> {
                for start in (0..n).step_by(ROW_BLOCK) {
                    let rows = ROW_BLOCK.min(n - start);
                    let mut parts = spare.try_recv().unwrap_or_else(|_| blocks.iter().map(|_| (DirectBuf::new(), 0)).collect());
                    for ((buf, at), &(c, w)) in parts.iter_mut().zip(blocks) {
                        *at = lde.read(lde.offset(k, c, w, start), rows * 32 * w, buf)?;
                    }
                    if send.send((start, rows, parts)).is_err() {
                        break;
                    }
                }
                Ok(())
            });
            for (start, rows, parts) in receive {
                out.par_iter_mut().enumerate().for_each(|(c, col)| {
                    let (buf, at) = &parts[c / BLOCK_COLUMNS];
                    let (within, w) = (c % BLOCK_COLUMNS, blocks[c / BLOCK_COLUMNS].1);
                    for r in 0..rows {
                        let x = at + 32 * (r * w + within);
                        col[start + r] = from_be_bytes(&buf[x..x + 32]).expect("canonical");
                    }
                });
                let _ = recycle.send(parts);
            }
            io(reader.join().expect("the spill reader does not panic"), "reading the LDE spill file");
        });
    }
}

/// Evaluates column `c` of `columns` (coefficients) at each (c, point) pair.
/// Each column is read once, for all its points.
pub fn evaluate_at(columns: &[&[Fe]], at: &[(usize, Fe)]) -> Vec<Fe> {
    let mut by_column: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (k, (c, _)) in at.iter().enumerate() {
        by_column.entry(*c).or_default().push(k);
    }
    let groups: Vec<(usize, Vec<usize>)> = by_column.into_iter().collect();
    let values: Vec<Vec<Fe>> = groups
        .par_iter()
        .map(|(c, ks)| evaluate_points(columns[*c], &ks.iter().map(|&k| at[k].1.clone()).collect::<Vec<_>>()))
        .collect();
    let mut out = vec![Fe::zero(); at.len()];
    for ((_, ks), vs) in groups.iter().zip(values) {
        for (&k, v) in ks.iter().zip(vs) {
            out[k] = v;
        }
    }
    out
}

/// 1/Z(x) for a row set over coset k (points c·w_n^i, c = s·w_N^k), as composition.py's
/// vanishing polynomial: Z(x) = (x^(n/step) − g^(offset·n/step)) / (Π_e (x − g^e) ·
/// Π_r (x^(n/period) − g^(r·n/period))).
fn vanishing_inverse(rows: &RowSet, n: usize, coset: &Fe) -> Col {
    let g = root_of_unity(log2(n));
    let m = (n / rows.step) as u64;
    let w_step = root_of_unity(log2(rows.step));
    let target = g.pow(rows.offset as u64 * m);
    let mut base = powers(&w_step, &coset.pow(m), rows.step);
    for b in base.iter_mut() {
        *b = &*b - &target;
    }
    crate::field::batch_inverse(&mut base).expect("the coset avoids the trace domain");
    // The skipped residues' factor repeats with the period: x^(n/period) takes `period` values.
    if !rows.skip.is_empty() {
        let q = (n / rows.period) as u64;
        let xs = powers(&root_of_unity(log2(rows.period)), &coset.pow(q), rows.period);
        let targets: Vec<Fe> = rows.skip.iter().map(|&r| g.pow(r as u64 * q)).collect();
        let factor: Vec<Fe> = xs.iter().map(|x| targets.iter().fold(Fe::one(), |acc, t| &acc * &(x - t))).collect();
        let long = rows.period.max(rows.step);
        let mut merged: Vec<Fe> = (0..long).map(|i| &base[i % rows.step] * &factor[i % rows.period]).collect();
        std::mem::swap(&mut base, &mut merged);
    }
    let period = base.len();
    let mut out = Col::zeroed(n);
    out.par_iter_mut().enumerate().for_each(|(i, o)| *o = base[i % period].clone());
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
pub fn composition_parts(input: &CompositionInput, segments: &[&Segment], n_parts: usize) -> Vec<Col> {
    let n = segments[0].n();
    let blowup = segments[0].blowup;
    assert!(n_parts <= blowup && blowup % n_parts == 0, "composition parts must divide the blowup");
    // One coset of every column, allocated once for all the cosets.
    let total: usize = segments.iter().map(|s| s.width()).sum();
    let mut buffer: Vec<Col> = (0..total).into_par_iter().map(|_| Col::zeroed(n)).collect();
    let mut values = vec![Fe::zero(); n_parts * n];
    let mut coset_out = vec![Fe::zero(); n];
    for t in 0..n_parts {
        let k = t * (blowup / n_parts);
        let mut rest = &mut buffer[..];
        for segment in segments {
            let (mine, tail) = rest.split_at_mut(segment.width());
            segment.read_coset(k, mine);
            rest = tail;
        }
        let offset = coset_offset(&coset_shift(), n * blowup, k);
        let zinv: Vec<Col> = input.group_rows.iter().map(|r| vanishing_inverse(r, n, &offset)).collect();
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
    values.chunks(n).map(Col::from_slice).collect()
}

/// The DEEP composition polynomial's coefficients: Σ_g (A_g(x) − A_g(p_g)) / (x − p_g) with
/// A_g = Σ_t γ_t·f_t over the group's columns (coefficients). Each quotient is exact because the
/// out-of-domain values are the columns' own values, so this equals the pointwise quotient
/// DEEP(x) of offchain/prover/README.md step 6 at every point.
pub fn deep_coefficients(columns: &[&[Fe]], groups: &[(Fe, Vec<(usize, Fe)>)]) -> Vec<Fe> {
    let n = columns[0].len();
    let mut out = vec![Fe::zero(); n];
    // A core's worth of groups at a time: each quotient is a trace-sized column.
    for batch in groups.chunks(rayon::current_num_threads()) {
        let quotients: Vec<Vec<Fe>> = batch.par_iter().map(|(point, terms)| quotient(columns, point, terms)).collect();
        out.par_iter_mut().enumerate().for_each(|(i, o)| {
            for q in &quotients {
                *o = add(o, &q[i]);
            }
        });
    }
    out
}

/// (A(x) − A(point)) / (x − point) for A = Σ weight·column over `terms`, as coefficients.
fn quotient(columns: &[&[Fe]], point: &Fe, terms: &[(usize, Fe)]) -> Vec<Fe> {
    let mut q = vec![Fe::zero(); columns[0].len()];
    q.par_chunks_mut(1 << 12).enumerate().for_each(|(b, chunk)| {
        let start = b << 12;
        for (c, weight) in terms {
            for (i, v) in chunk.iter_mut().enumerate() {
                *v = add(v, &(&columns[*c][start + i] * weight));
            }
        }
    });
    // Synthetic division in place, from the top: q_(i−1) = a_i + point·q_i, q_(n−1) = 0.
    let mut acc = Fe::zero();
    for v in q.iter_mut().rev() {
        let a = std::mem::replace(v, acc.clone());
        acc = add(&a, &(&acc * point));
    }
    q
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
        let leaves: Vec<Hash> = (0..m).into_par_iter().map_init(Vec::new, |buf, j| hash_row((0..folding).map(|t| &values[j + t * m]), buf)).collect();
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
                        inner = add(&inner, &(&v[j + t * m] * z));
                    }
                    out = add(&out, &(&inner * &factor));
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
