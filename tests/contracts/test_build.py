"""What the build must keep true: every deployed contract at least 1 KB below the 24,576-byte
limit (EIP-170), the generated tables matching their generators, and the storage layout the
proxy pins (MainStorage ends at slot 128, where PerpetualStorage starts)."""
from tools import gen_crypto_constants, gen_dispatch_table

from . import report

SIZE_LIMIT = 24_576
REQUIRED_MARGIN = 1024
MAIN_STORAGE_SLOTS = 128  # contracts/core/MainStorage.sol


def _deployable(contract_type) -> bool:
    """A contract that is deployed on its own (libraries' functions are all internal)."""
    return any(item.type in ("function", "fallback", "constructor") for item in contract_type.abi)


def test_every_contract_is_1kb_below_the_size_limit(project):
    sizes = {}
    for contract_type in project.load_contracts().values():
        code = contract_type.runtime_bytecode.bytecode if contract_type.runtime_bytecode else None
        if code and len(code) > 2 and _deployable(contract_type):
            sizes[contract_type.name] = (len(code) - 2) // 2
    lines = [f"{'contract':34} {'bytes':>7} {'margin':>7}"]
    lines += [f"{name:34} {size:7,} {SIZE_LIMIT - size:7,}" for name, size in sorted(sizes.items(), key=lambda x: -x[1])]
    report.set_section("contract sizes (EIP-170 limit 24,576 bytes)", lines)
    too_big = {name: size for name, size in sizes.items() if SIZE_LIMIT - size < REQUIRED_MARGIN}
    assert "StarkPerpetual" in sizes and "PerpetualState" in sizes
    assert not too_big, f"within {REQUIRED_MARGIN} bytes of the limit: {too_big}"


def test_generated_tables_are_up_to_date():
    assert gen_dispatch_table.main(["--check"]) == 0
    assert gen_crypto_constants.main(["--check"]) == 0


def _slot(chain, address: str, slot: int) -> int:
    return int.from_bytes(chain.provider.get_storage(address, slot), "big")


def test_storage_layout(exchange, chain):
    """Pins the slots a proxy upgrade must keep: a variable moved by a change to the storage
    contracts fails here before it could corrupt a deployed exchange."""
    address = exchange.contract.address
    assert _slot(chain, address, 6) == exchange.contract.programHash()  # MainStorage.currentProgramHash
    assert _slot(chain, address, 24) == 1  # MainStorage.initialized
    assert _slot(chain, address, MAIN_STORAGE_SLOTS) == exchange.collateral  # PerpetualStorage.systemAssetType
    assert _slot(chain, address, MAIN_STORAGE_SLOTS + 1) == exchange.contract.globalConfigHash()
    assert _slot(chain, address, MAIN_STORAGE_SLOTS + 5) == exchange.contract.sharedStateHash()
