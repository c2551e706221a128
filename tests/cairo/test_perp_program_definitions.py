"""Definitions the batch program repeats, checked against their source: the update path's error
codes are the model's Reason codes, and docs/batch-input.md lists every hint of the program with
references to the Cairo lines that constrain what it writes."""
import json
import re

from offchain.core.batch_program import PROGRAM_DIR, compiled_program
from offchain.core.cairo_runner import PROJECT_ROOT
from offchain.perpetual.errors import Reason

DOC = PROJECT_ROOT / "docs" / "batch-input.md"


def test_error_codes_are_the_models_reasons():
    text = (PROGRAM_DIR / "constants.cairo").read_text()
    section = text[text.index("// Error codes"):]
    codes = dict(re.findall(r"^const (\w+) = (\d+);", section, re.M))
    assert codes.pop("SUCCESS") == "0"
    assert codes
    for name, value in codes.items():
        assert Reason[name] == int(value), name


def test_every_hint_of_the_program_is_in_the_hint_table():
    program = json.loads(compiled_program().read_text())
    own = {hint["accessible_scopes"][-1] for at_pc in program["hints"].values() for hint in at_pc
           if not hint["accessible_scopes"][-1].startswith("starkware.")}
    table = DOC.read_text().split("## Every hint", 1)[1]
    listed = set(re.findall(r"^\| `(\w+)\.cairo` `(\w+)`", table, re.M))
    in_program = {(scope.split(".")[-2].replace("__main__", "main"), scope.split(".")[-1])
                  for scope in own}
    assert in_program == listed


def test_line_references_point_at_what_they_name():
    """Each `file.cairo:N name` reference in docs/batch-input.md names something on line N."""
    refs = re.findall(r"`([\w/]+\.cairo):(\d+) ([^`]+)`", DOC.read_text())
    assert len(refs) > 20
    for path, line, name in refs:
        lines = (PROGRAM_DIR / path).read_text().splitlines()
        assert name in lines[int(line) - 1], f"{path}:{line} does not contain {name!r}"
