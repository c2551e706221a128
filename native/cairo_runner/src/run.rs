//! A proof-mode run of a compiled Cairo 0 program on cairo-vm, writing the files `cairo-run
//! --proof_mode` writes (offchain/prover/cairo/runner_files.py reads them):
//! - the trace: per step ap, fp, pc as little-endian u64, byte-identical to cairo-lang's;
//! - the memory: per cell the address (u64) and value (32 bytes), little-endian; the same cells as
//!   cairo-lang's, ordered by address (cairo-lang writes its VM dict's insertion order, which carries
//!   no meaning: readers build a map);
//! - the AIR public and private input (JSON), equal to cairo-lang's as parsed.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use cairo_vm::cairo_run::{
    cairo_run_program_with_initial_scope, write_encoded_memory, write_encoded_trace, CairoRunConfig,
};
use cairo_vm::types::exec_scope::ExecutionScopes;
use cairo_vm::types::layout_name::LayoutName;
use cairo_vm::types::program::Program;

use crate::hints;

/// The four files of a run.
pub struct RunFiles {
    pub trace: PathBuf,
    pub memory: PathBuf,
    pub public_input: PathBuf,
    pub private_input: PathBuf,
}

/// What a finished run reports.
pub struct RunSummary {
    /// Steps in the trace (a power of two: proof mode's padding included).
    pub n_steps: usize,
}

/// A program parsed once per process and file version (path, modification time, size).
type ProgramKey = (PathBuf, SystemTime, u64);
static PROGRAMS: Mutex<Option<(ProgramKey, Arc<Program>, Arc<Vec<String>>)>> = Mutex::new(None);

fn program_key(path: &Path) -> Result<ProgramKey, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let modified = meta.modified().map_err(|e| e.to_string())?;
    let canonical = path.canonicalize().map_err(|e| e.to_string())?;
    Ok((canonical, modified, meta.len()))
}

/// The parsed program and the hint codes it holds (parsed once per file version).
pub fn load_program(path: &Path) -> Result<(Arc<Program>, Arc<Vec<String>>), String> {
    let key = program_key(path)?;
    let mut cached = PROGRAMS.lock().map_err(|_| "program cache poisoned".to_string())?;
    if let Some((cached_key, program, codes)) = cached.as_ref() {
        if *cached_key == key {
            return Ok((program.clone(), codes.clone()));
        }
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let program = Program::from_bytes(&bytes, Some("main")).map_err(|e| e.to_string())?;
    let codes = hint_codes(&bytes)?;
    let entry = (Arc::new(program), Arc::new(codes));
    *cached = Some((key, entry.0.clone(), entry.1.clone()));
    Ok(entry)
}

/// Every distinct hint code of a compiled program (the JSON's `hints`), in a stable order.
fn hint_codes(bytes: &[u8]) -> Result<Vec<String>, String> {
    let json: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let mut codes: Vec<String> = json["hints"]
        .as_object()
        .map(|hints| {
            hints.values().flat_map(|list| list.as_array().cloned().unwrap_or_default())
                .filter_map(|hint| hint["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    codes.sort();
    codes.dedup();
    Ok(codes)
}

fn layout(name: &str) -> Result<LayoutName, String> {
    Ok(match name {
        "plain" => LayoutName::plain,
        "small" => LayoutName::small,
        "dex" => LayoutName::dex,
        "recursive" => LayoutName::recursive,
        "starknet" => LayoutName::starknet,
        "starknet_with_keccak" => LayoutName::starknet_with_keccak,
        "all_cairo" => LayoutName::all_cairo,
        other => return Err(format!("unknown layout {other}")),
    })
}

/// The hint codes of `program` that this runner cannot execute (neither cairo-vm's common-library
/// hints nor the ones `hints::processor` adds).
pub fn unsupported_hints(program: &Path) -> Result<Vec<String>, String> {
    let (program, codes) = load_program(program)?;
    let mut processor = hints::processor(&program, &codes);
    Ok(codes.iter().filter(|code| !crate::library::knows(&mut processor, code)).cloned().collect())
}

/// Runs `program` in proof mode on `program_input` (the JSON text the program's hints read as
/// `program_input`) and writes `files`. Errors carry cairo-vm's error text.
pub fn run(program: &Path, program_input: &str, layout_name: &str, files: &RunFiles) -> Result<RunSummary, String> {
    let (program, codes) = load_program(program)?;
    let input: serde_json::Value = serde_json::from_str(program_input).map_err(|e| format!("program input: {e}"))?;
    let config = CairoRunConfig {
        entrypoint: "main",
        trace_enabled: true,
        relocate_mem: true,
        relocate_trace: true,
        layout: layout(layout_name)?,
        proof_mode: true,
        secure_run: None,
        allow_missing_builtins: Some(true),
        ..Default::default()
    };
    let mut processor = hints::processor(&program, &codes);
    let mut scopes = ExecutionScopes::new();
    hints::initial_scope(&mut scopes, input);
    let runner = cairo_run_program_with_initial_scope(&program, &config, &mut processor, scopes)
        .map_err(|e| e.to_string())?;

    let trace = runner.relocated_trace.as_ref().ok_or("the run kept no trace")?;
    let mut writer = BufWriter::with_capacity(1 << 20, File::create(&files.trace).map_err(|e| e.to_string())?);
    write_encoded_trace(trace, &mut writer).map_err(|e| e.to_string())?;
    writer.flush().map_err(|e| e.to_string())?;
    let mut writer = BufWriter::with_capacity(1 << 20, File::create(&files.memory).map_err(|e| e.to_string())?);
    write_encoded_memory(&runner.relocated_memory, &mut writer).map_err(|e| e.to_string())?;
    writer.flush().map_err(|e| e.to_string())?;

    let public_input = runner.get_air_public_input().map_err(|e| e.to_string())?;
    std::fs::write(&files.public_input, public_input.serialize_json().map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let absolute = |p: &Path| std::path::absolute(p).map(|p| p.display().to_string()).map_err(|e| e.to_string());
    let private_input = runner.get_air_private_input()
        .to_serializable(absolute(&files.trace)?, absolute(&files.memory)?)
        .serialize_json().map_err(|e| e.to_string())?;
    std::fs::write(&files.private_input, private_input).map_err(|e| e.to_string())?;

    Ok(RunSummary { n_steps: trace.len() })
}
