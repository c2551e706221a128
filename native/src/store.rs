//! Where a column of field elements lives: on the heap, or — for a tall trace — in a shared
//! mapping of an unlinked temporary file, so that the kernel can write its pages back to disk
//! and read them in again instead of running out of memory. The prover of a 1,000-transfer batch
//! (2^22 rows × 139 columns: 18.7 GB a copy) holds the trace, its coefficients and a coset of the
//! composition's domain at different times; on a 24 GB machine only file-backed pages make that
//! fit. The columns' bytes are the same either way (lambdaworks' Montgomery limbs), so proofs are.
//!
//! A column is mapped when it has at least `mapped_rows()` rows: `STARK_MAPPED_ROWS` (a power of
//! two), default 2^20 (32 MiB a column). Files go to `$STARK_LDE_DIR`, default the system's
//! temporary directory, and are unlinked at once: the space returns when the column is dropped,
//! even on a crash.
use crate::field::Fe;
use memmap2::MmapMut;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The default of `mapped_rows()`: columns of 2^20 rows and more (a trace of about 300
/// transfers) are file-backed; a 100-transfer batch (2^19 rows) stays on the heap.
pub const DEFAULT_MAPPED_ROWS: usize = 1 << 20;

// A mapped page of zero bytes must read as field elements of value zero, and a page-aligned
// mapping must be aligned for them: Montgomery zero is all-zero limbs, and Fe is four u64 limbs.
const _: () = assert!(std::mem::size_of::<Fe>() == 32 && std::mem::align_of::<Fe>() <= 8);

/// The number of rows from which a column is file-backed (`STARK_MAPPED_ROWS`, read once).
pub fn mapped_rows() -> usize {
    static ROWS: OnceLock<usize> = OnceLock::new();
    *ROWS.get_or_init(|| {
        std::env::var("STARK_MAPPED_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_MAPPED_ROWS)
    })
}

/// The directory of the prover's spill and column files (`STARK_LDE_DIR`).
pub fn spill_dir() -> std::path::PathBuf {
    std::env::var_os("STARK_LDE_DIR").map(std::path::PathBuf::from).unwrap_or_else(std::env::temp_dir)
}

static FILES: AtomicUsize = AtomicUsize::new(0);

/// An unlinked read-write file in `spill_dir()`.
pub fn unlinked_file(kind: &str) -> std::io::Result<std::fs::File> {
    let path = spill_dir().join(format!("stark-{kind}-{}-{}", std::process::id(), FILES.fetch_add(1, Ordering::Relaxed)));
    let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

enum Backing {
    Heap(Vec<Fe>),
    Mapped(MmapMut, usize),
}

/// A column of field elements: a `[Fe]` on the heap or in a file-backed mapping (see the module).
pub struct Col(Backing);

impl Col {
    /// `len` zeros.
    pub fn zeroed(len: usize) -> Col {
        if len < mapped_rows() || len == 0 {
            return Col(Backing::Heap(vec![Fe::zero(); len]));
        }
        let file = unlinked_file("column").expect("creating a column file");
        file.set_len((32 * len) as u64).expect("sizing a column file"); // sparse: reads as zeros
        // Safety: the file is ours alone (created exclusively, then unlinked) and lives as long
        // as the mapping; its length is fixed here.
        let map = unsafe { MmapMut::map_mut(&file) }.expect("mapping a column file");
        Col(Backing::Mapped(map, len))
    }

    /// The column holding `values` (moved when it stays on the heap).
    pub fn from_vec(values: Vec<Fe>) -> Col {
        if values.len() < mapped_rows() {
            return Col(Backing::Heap(values));
        }
        Col::from_slice(&values)
    }

    pub fn from_slice(values: &[Fe]) -> Col {
        let mut col = Col::zeroed(values.len());
        col.copy_from_slice(values);
        col
    }

    /// Whether the column lives in a file.
    pub fn is_mapped(&self) -> bool {
        matches!(self.0, Backing::Mapped(..))
    }
}

impl Deref for Col {
    type Target = [Fe];

    fn deref(&self) -> &[Fe] {
        match &self.0 {
            Backing::Heap(v) => v,
            // Safety: the mapping is 32·len bytes, page-aligned, and every bit pattern of four
            // u64 limbs is a value of Fe's type (the prover only writes reduced elements).
            Backing::Mapped(map, len) => unsafe { std::slice::from_raw_parts(map.as_ptr() as *const Fe, *len) },
        }
    }
}

impl DerefMut for Col {
    fn deref_mut(&mut self) -> &mut [Fe] {
        match &mut self.0 {
            Backing::Heap(v) => v,
            Backing::Mapped(map, len) => unsafe { std::slice::from_raw_parts_mut(map.as_mut_ptr() as *mut Fe, *len) },
        }
    }
}

impl Clone for Col {
    fn clone(&self) -> Col {
        match &self.0 {
            Backing::Heap(v) => Col(Backing::Heap(v.clone())),
            Backing::Mapped(..) => Col::from_slice(self),
        }
    }
}

impl From<Vec<Fe>> for Col {
    fn from(values: Vec<Fe>) -> Col {
        Col::from_vec(values)
    }
}

impl std::fmt::Debug for Col {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Col({} rows{})", self.len(), if self.is_mapped() { ", mapped" } else { "" })
    }
}
