//! The Cairo AIR's builtin lanes (offchain/prover/cairo/layout.py, PEDERSEN LANE and ECDSA LANE):
//! the partial sums, slopes and doublings of the pedersen hashes and ecdsa signatures, the same
//! values as offchain/prover/cairo/trace.py (`pedersen_block`, `ecdsa_block`), which stays the
//! reference. A lane's blocks are computed in lockstep, so each step's inversions are one batch
//! (Montgomery's trick): an addition costs a few multiplications, not an inversion.
use crate::field::Fe;
use crate::store::Col;
use rayon::prelude::*;

pub const PEDERSEN_WIDTH: usize = 4;
pub const PEDERSEN_ROWS: usize = 512;
const HASH_HALF: usize = 256;
const HASH_BITS: usize = 252;
pub const PED_SUFFIX: usize = 0;
const PED_X: usize = 1;
const PED_Y: usize = 2;
const PED_SLOPE: usize = 3;

pub const ECDSA_WIDTH: usize = 8;
pub const ECDSA_ROWS: usize = 1024;
const EC_UNIT: usize = 256;
const EC_BITS: usize = 251;
const EC_HELPER_ROW: usize = 252;
const EC_S: usize = 0;
const EC_PX: usize = 1;
const EC_PY: usize = 2;
const EC_PS: usize = 3;
const EC_XI: usize = 4;
const EC_DX: usize = 5;
const EC_DY: usize = 6;
const EC_DS: usize = 7;

pub type Point = (Fe, Fe);

/// The curve's constants, given by the caller (offchain/prover/cairo/curve.py is their source).
pub struct Curve {
    pub alpha: Fe,
    pub beta: Fe,
    pub shift: Point,
    pub generator: Point,
    /// hash_points[k][i]: the point the hash adds for bit i of input k.
    pub hash_points: [Vec<Point>; 2],
}

fn bit(limbs: &[u64; 4], i: usize) -> bool {
    (limbs[3 - i / 64] >> (i % 64)) & 1 == 1
}

fn limbs(x: &Fe) -> [u64; 4] {
    x.representative().limbs
}

/// 1/x for every x, in place; Err if one is zero.
fn invert(values: &mut [Fe]) -> Result<(), ()> {
    if values.iter().any(|v| *v == Fe::zero()) {
        return Err(());
    }
    Fe::inplace_batch_inverse(values).map_err(|_| ())
}

/// The suffix column of a value over bits 0 ..= top: s_i = v >> i, from s_top down.
fn suffixes(value: &[u64; 4], top: usize) -> Vec<Fe> {
    let mut out = vec![Fe::zero(); top + 1];
    let two = Fe::from(2u64);
    let mut acc = Fe::zero();
    for i in (0..top).rev() {
        acc = &acc * &two + if bit(value, i) { Fe::one() } else { Fe::zero() };
        out[i] = acc.clone();
    }
    out
}

/// One pedersen lane: `inputs[b]` is block b's (a, b) (blocks of PEDERSEN_ROWS rows); returns the
/// lane's columns (PED_* order) and each block's H(a, b).
pub fn pedersen_lane(inputs: &[(Fe, Fe)], curve: &Curve) -> (Vec<Vec<Fe>>, Vec<Fe>) {
    let blocks = inputs.len();
    let n = blocks * PEDERSEN_ROWS;
    let mut cols = vec![vec![Fe::zero(); n]; PEDERSEN_WIDTH];
    let mut points: Vec<Point> = vec![curve.shift.clone(); blocks];
    let mut den = vec![Fe::one(); blocks];
    for half in 0..2 {
        let values: Vec<[u64; 4]> = inputs.iter().map(|(a, b)| limbs(if half == 0 { a } else { b })).collect();
        for (b, v) in values.iter().enumerate() {
            let base = b * PEDERSEN_ROWS + HASH_HALF * half;
            for (i, s) in suffixes(v, HASH_BITS).into_iter().enumerate() {
                cols[PED_SUFFIX][base + i] = s;
            }
            let h196 = bit(v, 251) && bit(v, 196);
            cols[PED_SLOPE][base + HASH_BITS] = if h196 { Fe::one() } else { Fe::zero() };
            cols[PED_SLOPE][base + HASH_BITS + 1] = if h196 && bit(v, 192) { Fe::one() } else { Fe::zero() };
        }
        for i in 0..=HASH_BITS {
            for (b, p) in points.iter().enumerate() {
                let row = b * PEDERSEN_ROWS + HASH_HALF * half + i;
                cols[PED_X][row] = p.0.clone();
                cols[PED_Y][row] = p.1.clone();
            }
            if i == HASH_BITS {
                break;
            }
            let q = &curve.hash_points[half][i];
            for b in 0..blocks {
                den[b] = if bit(&values[b], i) { &points[b].0 - &q.0 } else { Fe::one() };
            }
            // The partial sum never meets a constant point's x unless the points' discrete logs
            // are known (StarkWare's argument); a run where it does cannot be laid out.
            invert(&mut den).expect("a pedersen partial sum shares x with a constant point");
            for b in 0..blocks {
                if bit(&values[b], i) {
                    let slope = (&points[b].1 - &q.1) * &den[b];
                    let x = slope.square() - &points[b].0 - &q.0;
                    let y = &slope * (&points[b].0 - &x) - &points[b].1;
                    cols[PED_SLOPE][b * PEDERSEN_ROWS + HASH_HALF * half + i] = slope;
                    points[b] = (x, y);
                }
            }
        }
    }
    (cols, points.into_iter().map(|p| p.0).collect())
}

/// One multiplication unit of every listed block: start + scalar·base over 256 rows from row
/// `first` of the block, in lockstep. Marks a block failed where cairo-lang's
/// mimic_ec_mult_air fails (the partial sum and the doubled base share x); returns the ends.
#[allow(clippy::too_many_arguments)]
fn ec_unit(cols: &mut [Vec<Fe>], blocks: &[usize], first: usize, scalars: &[[u64; 4]], bases: &[Point], starts: &[Point], alpha: &Fe, failed: &mut [bool]) -> Vec<Point> {
    let m = blocks.len();
    let mut p: Vec<Point> = starts.to_vec();
    let mut d: Vec<Point> = bases.to_vec();
    let two = Fe::from(2u64);
    let three = Fe::from(3u64);
    for (j, &b) in blocks.iter().enumerate() {
        let base = b * ECDSA_ROWS + first;
        for (i, s) in suffixes(&scalars[j], EC_BITS).into_iter().enumerate() {
            cols[EC_S][base + i] = s;
        }
    }
    let mut inv = vec![Fe::one(); 2 * m];
    for i in 0..=EC_BITS {
        for (j, &b) in blocks.iter().enumerate() {
            let row = b * ECDSA_ROWS + first + i;
            cols[EC_PX][row] = p[j].0.clone();
            cols[EC_PY][row] = p[j].1.clone();
            cols[EC_DX][row] = d[j].0.clone();
            cols[EC_DY][row] = d[j].1.clone();
        }
        if i == EC_BITS {
            break;
        }
        for j in 0..m {
            let diff = &p[j].0 - &d[j].0;
            if failed[j] || diff == Fe::zero() || d[j].1 == Fe::zero() {
                failed[j] = true;
                inv[2 * j] = Fe::one();
                inv[2 * j + 1] = Fe::one();
            } else {
                inv[2 * j] = diff;
                inv[2 * j + 1] = &two * &d[j].1;
            }
        }
        invert(&mut inv).expect("no zero left");
        for (j, &b) in blocks.iter().enumerate() {
            if failed[j] {
                continue;
            }
            let row = b * ECDSA_ROWS + first + i;
            cols[EC_XI][row] = inv[2 * j].clone();
            if bit(&scalars[j], i) {
                let slope = (&p[j].1 - &d[j].1) * &inv[2 * j];
                let x = slope.square() - &p[j].0 - &d[j].0;
                let y = &slope * (&p[j].0 - &x) - &p[j].1;
                cols[EC_PS][row] = slope;
                p[j] = (x, y);
            }
            let slope = (&three * d[j].0.square() + alpha) * &inv[2 * j + 1];
            let x = slope.square() - &two * &d[j].0;
            let y = &slope * (&d[j].0 - &x) - &d[j].1;
            cols[EC_DS][row] = slope;
            d[j] = (x, y);
        }
    }
    p
}

/// (a + b, slope) for every pair, or None where the x coordinates are equal.
fn add_all(a: &[Point], b: &[Point]) -> Vec<Option<(Point, Fe)>> {
    let mut den: Vec<Fe> = a.iter().zip(b).map(|(p, q)| &p.0 - &q.0).collect();
    let zero: Vec<bool> = den.iter().map(|v| *v == Fe::zero()).collect();
    for (v, z) in den.iter_mut().zip(&zero) {
        if *z {
            *v = Fe::one();
        }
    }
    invert(&mut den).expect("no zero left");
    (0..a.len())
        .map(|j| {
            if zero[j] {
                return None;
            }
            let slope = (&a[j].1 - &b[j].1) * &den[j];
            let x = slope.square() - &a[j].0 - &b[j].0;
            let y = &slope * (&a[j].0 - &x) - &a[j].1;
            Some(((x, y), slope))
        })
        .collect()
}

/// The signature rows of the listed blocks with the key's y as given; returns which verified
/// (cairo-lang's signature.verify with that y).
fn sign_rows(cols: &mut [Vec<Fe>], blocks: &[usize], instances: &[[Fe; 4]], key_ys: &[Fe], curve: &Curve) -> Vec<bool> {
    let m = blocks.len();
    let mut failed = vec![false; m];
    let sx = &curve.shift.0;
    let neg_shift = (curve.shift.0.clone(), -&curve.shift.1);
    let scalar = |k: usize| -> Vec<[u64; 4]> { instances.iter().map(|v| limbs(&v[k])).collect() };
    let gens = vec![curve.generator.clone(); m];
    let zg = ec_unit(cols, blocks, 0, &scalar(1), &gens, &vec![neg_shift.clone(); m], &curve.alpha, &mut failed);
    let keys: Vec<Point> = instances.iter().zip(key_ys).map(|(v, y)| (v[0].clone(), y.clone())).collect();
    let rq = ec_unit(cols, blocks, EC_UNIT, &scalar(2), &keys, &vec![curve.shift.clone(); m], &curve.alpha, &mut failed);
    let sum = add_all(&zg, &rq);
    let bs: Vec<Point> = sum.iter().map(|s| s.as_ref().map_or(curve.generator.clone(), |(p, _)| p.clone())).collect();
    for (j, s) in sum.iter().enumerate() {
        failed[j] |= s.is_none();
    }
    let wb = ec_unit(cols, blocks, 2 * EC_UNIT, &scalar(3), &bs, &vec![curve.shift.clone(); m], &curve.alpha, &mut failed);
    let mut idle_failed = vec![false; m];
    ec_unit(cols, blocks, 3 * EC_UNIT, &vec![[0u64; 4]; m], &gens, &vec![curve.shift.clone(); m], &curve.alpha, &mut idle_failed);
    let extract = add_all(&wb, &vec![neg_shift; m]);
    let mut helpers: Vec<Fe> = Vec::with_capacity(7 * m);
    for j in 0..m {
        helpers.extend([&zg[j].0 - &rq[j].0, &wb[j].0 - sx, instances[j][1].clone(), instances[j][2].clone(), instances[j][3].clone()]);
    }
    for v in helpers.iter_mut() {
        if *v == Fe::zero() {
            *v = Fe::one(); // a zero x difference failed above; the scalars are nonzero
        }
    }
    invert(&mut helpers).expect("no zero left");
    (0..m)
        .map(|j| {
            let ok = !failed[j] && !idle_failed[j] && extract[j].as_ref().is_some_and(|((x, _), _)| *x == instances[j][2]);
            if ok {
                let row = blocks[j] * ECDSA_ROWS + EC_HELPER_ROW;
                let h = &helpers[5 * j..5 * j + 5];
                let values = [
                    (EC_PX, instances[j][0].square()),
                    (EC_PY, sum[j].as_ref().unwrap().1.clone()),
                    (EC_PS, h[0].clone()),
                    (EC_S, extract[j].as_ref().unwrap().1.clone()),
                    (EC_XI, h[1].clone()),
                    (EC_DX, h[2].clone()),
                    (EC_DY, h[3].clone()),
                    (EC_DS, h[4].clone()),
                ];
                for (c, v) in values {
                    cols[c][row] = v;
                }
            }
            ok
        })
        .collect()
}

/// One ecdsa lane: `instances[b]` is block b's (public key x, message, r, w); returns the lane's
/// columns (EC_* order), or the index of a block whose signature does not verify.
pub fn ecdsa_lane(instances: &[[Fe; 4]], curve: &Curve) -> Result<Vec<Vec<Fe>>, usize> {
    let blocks = instances.len();
    let mut cols = vec![vec![Fe::zero(); blocks * ECDSA_ROWS]; ECDSA_WIDTH];
    let bound = {
        let mut l = [0u64; 4];
        l[0] = 1 << 59; // 2^251
        l
    };
    let mut ys = Vec::with_capacity(blocks);
    for (b, v) in instances.iter().enumerate() {
        let in_range = |x: &Fe| *x != Fe::zero() && limbs(x) < bound;
        if !(in_range(&v[1]) && in_range(&v[2]) && in_range(&v[3])) {
            return Err(b);
        }
        let rhs = v[0].square() * &v[0] + &curve.alpha * &v[0] + &curve.beta;
        match rhs.sqrt() {
            Some((y, _)) => ys.push(y),
            None => return Err(b),
        }
    }
    // The key's x gives y up to sign; cairo-lang tries both, and at most one verifies.
    let all: Vec<usize> = (0..blocks).collect();
    let ok = sign_rows(&mut cols, &all, instances, &ys, curve);
    let retry: Vec<usize> = all.iter().copied().filter(|&b| !ok[b]).collect();
    if !retry.is_empty() {
        let sub: Vec<[Fe; 4]> = retry.iter().map(|&b| instances[b].clone()).collect();
        let neg: Vec<Fe> = retry.iter().map(|&b| -&ys[b]).collect();
        for (j, fine) in sign_rows(&mut cols, &retry, &sub, &neg, curve).into_iter().enumerate() {
            if !fine {
                return Err(retry[j]);
            }
        }
    }
    Ok(cols)
}

/// Every lane of a kind in parallel.
/// Every lane of a kind in parallel, each lane's columns moved to their storage (store.rs) as
/// soon as it is built, so that only the lanes in progress are on the heap.
pub fn pedersen_lanes(per_lane: &[Vec<(Fe, Fe)>], curve: &Curve) -> Vec<(Vec<Col>, Vec<Fe>)> {
    per_lane
        .par_iter()
        .map(|inputs| {
            let (cols, hashes) = pedersen_lane(inputs, curve);
            (cols.into_iter().map(Col::from_vec).collect(), hashes)
        })
        .collect()
}

pub fn ecdsa_lanes(per_lane: &[Vec<[Fe; 4]>], curve: &Curve) -> Vec<Result<Vec<Col>, usize>> {
    per_lane.par_iter().map(|instances| ecdsa_lane(instances, curve).map(|cols| cols.into_iter().map(Col::from_vec).collect())).collect()
}
