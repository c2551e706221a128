"""docs/spot/batch-input.md lists every hint of the Spot program (what it writes, what constrains
it), and the model's rule names are the program's."""
import json
import re

from offchain.core.batch_program import SPOT_PROGRAM_DIR, compiled_program
from offchain.core.cairo_runner import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "spot" / "batch-input.md"


def test_every_hint_of_the_program_is_in_the_hint_table():
    program = json.loads(compiled_program(SPOT_PROGRAM_DIR).read_text())
    own = {hint["accessible_scopes"][-1] for at_pc in program["hints"].values() for hint in at_pc
           if hint["accessible_scopes"][-1].startswith(("spot.", "__main__"))}
    in_program = {(scope.split(".")[-2].replace("__main__", "main"), scope.split(".")[-1])
                  for scope in own}
    table = DOC.read_text().split("## What the program trusts", 1)[1]
    listed = set()
    for file, names in re.findall(r"^\| `(\w+)\.cairo` ((?:`\w+`(?:, )?)+) \|", table, re.M):
        listed |= {(file, name) for name in re.findall(r"`(\w+)`", names)}
    assert in_program == listed


def test_every_rule_of_the_program_is_documented():
    rules_in_program = set()
    for path in SPOT_PROGRAM_DIR.glob("*.cairo"):
        rules_in_program |= set(re.findall(r'with_attr error_message\("(\w+)"\)', path.read_text()))
    rules = DOC.read_text().split("## Rules", 1)[1].split("## What the program trusts")[0]
    documented = set(re.findall(r"^\| `(\w+)` \|", rules, re.M))
    # stored_vault and onchain_table are the malicious prover's only (no input reaches them).
    assert rules_in_program - documented <= {"stored_vault", "onchain_table"}
    assert documented - rules_in_program == {"malformed"}  # the model's: a field is missing
