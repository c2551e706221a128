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
const _: () = assert!(std::mem::size_of::<Fe>() == 32 && std::mem::align_of::<Fe>() == 8);

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

/// The value of a file operation of the prover, or a panic naming the operation, `spill_dir()`
/// and the OS error as "… (os error N)": offchain/prover/errors.py turns such a panic into an
/// OSError (ProverIoError), which an operator retries, where a bug's panic stays a panic.
pub fn io<T>(result: std::io::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|error| match error.raw_os_error() {
        Some(_) => panic!("{what} in {}: {error}", spill_dir().display()),
        // Rust's own I/O errors (a short read or write) carry no OS error: EIO stands for them.
        None => panic!("{what} in {}: {error} (os error {})", spill_dir().display(), libc::EIO),
    })
}

/// Allocates `len` bytes of disk to `file` (posix_fallocate), which is then `len` bytes long.
fn reserve(file: &std::fs::File, len: usize) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // Safety: a plain system call on a descriptor we own; it returns the error number.
    match unsafe { libc::posix_fallocate(file.as_raw_fd(), 0, len as libc::off_t) } {
        0 => Ok(()),
        errno => Err(std::io::Error::from_raw_os_error(errno)),
    }
}

/// An unlinked read-write file in `spill_dir()`.
pub fn unlinked_file(kind: &str) -> std::io::Result<std::fs::File> {
    let path = spill_dir().join(format!("stark-{kind}-{}-{}", std::process::id(), FILES.fetch_add(1, Ordering::Relaxed)));
    let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

/// An unlinked read-write file in `spill_dir()` with O_DIRECT set where the file system
/// allows it (the bool says whether it did): reads and writes then go between the disk and
/// the caller's buffers, which must be `DirectBuf`s at offsets and lengths that are multiples of
/// `DIRECT_ALIGN`. A spill through the page cache costs fresh kernel pages for every byte — on
/// this project's virtual machines the copy into them ran at 0.3–2.3 GB/s and took 10% of a
/// 100-transfer proof's CPU time — and the kernel's writeback competes for the same cores.
pub fn unlinked_direct_file(kind: &str) -> std::io::Result<(std::fs::File, bool)> {
    use std::os::fd::AsRawFd;
    // O_DIRECT is set on the open file, not asked of open(2): a file system that refuses it
    // (tmpfs before Linux 6.6) refuses it after creating the file, which would be left behind.
    let file = unlinked_file(kind)?;
    let fd = file.as_raw_fd();
    // Safety: fcntl on a descriptor we own, reading and then setting its status flags.
    let direct = unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags | libc::O_DIRECT) == 0
    };
    Ok((file, direct)) // refused: buffered I/O reads and writes the same bytes
}

/// The alignment O_DIRECT asks of buffers, offsets and lengths (a page: above any disk's
/// logical block).
pub const DIRECT_ALIGN: usize = 4096;

#[derive(Clone, Copy)]
#[repr(C, align(4096))]
struct Page([u8; DIRECT_ALIGN]);

/// A byte buffer aligned for O_DIRECT, of a whole number of pages.
pub struct DirectBuf {
    pages: Vec<Page>,
    len: usize,
}

impl DirectBuf {
    pub fn new() -> DirectBuf {
        DirectBuf { pages: Vec::new(), len: 0 }
    }

    /// Makes the buffer `len` bytes long, keeping its allocation when it is large enough (the
    /// bytes are left as they were: the caller overwrites them).
    pub fn resize(&mut self, len: usize) {
        self.pages.resize(len.div_ceil(DIRECT_ALIGN), Page([0; DIRECT_ALIGN]));
        self.len = len;
    }
}

impl Default for DirectBuf {
    fn default() -> Self {
        Self::new()
    }
}

impl Deref for DirectBuf {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // Safety: pages are plain bytes, contiguous, and len ≤ their total size.
        unsafe { std::slice::from_raw_parts(self.pages.as_ptr() as *const u8, self.len) }
    }
}

impl DerefMut for DirectBuf {
    fn deref_mut(&mut self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.pages.as_mut_ptr() as *mut u8, self.len) }
    }
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
            // Zeroed limbs come from calloc: a large block is fresh pages, already zero, so no
            // thread writes the zeros (that costs a pass over memory the caller fills next).
            let mut limbs = std::mem::ManuallyDrop::new(vec![[0u64; 4]; len]);
            // Safety: Montgomery zero is all-zero limbs, and Fe has the layout of [u64; 4] (size
            // and alignment asserted above), so the allocation is a Vec<Fe>'s.
            let values = unsafe { Vec::from_raw_parts(limbs.as_mut_ptr() as *mut Fe, limbs.len(), limbs.capacity()) };
            return Col(Backing::Heap(values));
        }
        let file = io(unlinked_file("column"), "creating a column file");
        // Reserved now, not on the first write to each page: a full disk is an error here rather
        // than a SIGBUS in the middle of an NTT. Reserved blocks read as zeros.
        io(reserve(&file, 32 * len), "reserving a column file's space");
        // Safety: the file is ours alone (created exclusively, then unlinked) and lives as long
        // as the mapping; its length is fixed here.
        let map = io(unsafe { MmapMut::map_mut(&file) }, "mapping a column file");
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
