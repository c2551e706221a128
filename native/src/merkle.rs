//! keccak256 Merkle trees in the layout of offchain/prover/merkle.py: leaf i = keccak256 of the
//! row's elements as 32-byte big-endian words, node = keccak256(left || right), a path lists the
//! siblings from the leaf level up.
use crate::field::{to_be_bytes, Fe};
use rayon::prelude::*;
use sha3::{Digest, Keccak256};

pub type Hash = [u8; 32];

pub fn keccak(data: &[u8]) -> Hash {
    Keccak256::digest(data).into()
}

/// keccak256 of a row given element by element (`buffer` is scratch space, reused by the caller).
pub fn hash_row<'a>(values: impl Iterator<Item = &'a Fe>, buffer: &mut Vec<u8>) -> Hash {
    buffer.clear();
    for v in values {
        buffer.extend_from_slice(&to_be_bytes(v));
    }
    keccak(buffer)
}

pub struct MerkleTree {
    /// layers[0] the leaves, layers[last] the root alone.
    pub layers: Vec<Vec<Hash>>,
}

impl MerkleTree {
    pub fn from_leaves(leaves: Vec<Hash>) -> Self {
        assert!(leaves.len().is_power_of_two(), "leaf count must be a power of two");
        let mut layers = vec![leaves];
        while layers.last().unwrap().len() > 1 {
            let below = layers.last().unwrap();
            let parents: Vec<Hash> = below
                .par_chunks(2)
                .map(|pair| {
                    let mut hasher = Keccak256::new();
                    hasher.update(pair[0]);
                    hasher.update(pair[1]);
                    hasher.finalize().into()
                })
                .collect();
            layers.push(parents);
        }
        MerkleTree { layers }
    }

    pub fn root(&self) -> Hash {
        self.layers.last().unwrap()[0]
    }

    pub fn path(&self, mut index: usize) -> Vec<Hash> {
        let mut out = Vec::with_capacity(self.layers.len() - 1);
        for layer in &self.layers[..self.layers.len() - 1] {
            out.push(layer[index ^ 1]);
            index >>= 1;
        }
        out
    }
}

/// The smallest nonce with keccak256(state || nonce as 8 bytes big-endian) below 2^(256-bits)
/// (offchain/prover/channel.py), searched on every core in order so the answer is the same.
pub fn grind(state: &[u8], bits: u32) -> u64 {
    assert!(bits < 64, "grinding bits must be below 64");
    if bits == 0 {
        return 0;
    }
    let ok = |nonce: u64| {
        let mut hasher = Keccak256::new();
        hasher.update(state);
        hasher.update(nonce.to_be_bytes());
        let digest: Hash = hasher.finalize().into();
        u64::from_be_bytes(digest[..8].try_into().unwrap()) >> (64 - bits) == 0
    };
    const BATCH: u64 = 1 << 16;
    let mut start = 0u64;
    loop {
        if let Some(n) = (start..start + BATCH).into_par_iter().find_first(|&n| ok(n)) {
            return n;
        }
        start += BATCH;
    }
}
