//! Which hint codes cairo-vm's BuiltinHintProcessor executes. It keeps no list, so a code is asked
//! for directly: executed on an empty machine, a hint it lacks fails with `UnknownHint`, and any
//! hint it has fails otherwise (no `ids`) or succeeds on the empty machine.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use cairo_vm::hint_processor::builtin_hint_processor::builtin_hint_processor_definition::{
    BuiltinHintProcessor, HintProcessorData,
};
use cairo_vm::hint_processor::hint_processor_definition::HintProcessorLogic;
use cairo_vm::types::exec_scope::ExecutionScopes;
use cairo_vm::vm::errors::hint_errors::HintError;
use cairo_vm::vm::vm_core::VirtualMachine;

/// Whether `processor` (cairo-vm's library hints and the extra ones added to it) knows `code`.
pub fn knows(processor: &mut BuiltinHintProcessor, code: &str) -> bool {
    let data: Box<dyn std::any::Any> = Box::new(HintProcessorData::new_default(code.to_string(), HashMap::new()));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut vm = VirtualMachine::new(false, false);
        let mut scopes = ExecutionScopes::new();
        processor.execute_hint(&mut vm, &mut scopes, &data)
    }));
    !matches!(outcome, Ok(Err(HintError::UnknownHint(_))))
}
