"""Fixtures for StarkExchange (Spot) behind its upgrade proxy, initialized in the deploying
transaction (offchain.spot.exchange.deploy_stark_exchange), with a development fact registry
as the verifier chain and a second one standing in for the committee; a token administrator;
one token of every kind, registered; and helpers to submit batches (SpotOutput's layout)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from eth_abi import encode

from offchain.spot.exchange import deploy_stark_exchange
from offchain.core.l1.users import register_user
from offchain.spot.assets import TokenKind as AssetKind
from offchain.spot.assets import asset_id, asset_info
from offchain.spot.output import SpotOutput
from offchain.spot.rules import Modification
from offchain.spot.state import ZERO_VAULT_HASH

from ..batch_builder import NO_BATCH, VALIDIUM, batch_fact, words_hash
from ..conftest import ALICE_STARK_PRIVATE, BOB_STARK_PRIVATE, stark_key
from ..stark_tree import SparseTree, vault_leaf

PROGRAM_HASH = 0x5B07
VAULT_HEIGHT = 31  # both vault trees
ORDER_HEIGHT = 64
ETH_QUANTUM = 10**10
ERC20_QUANTUM = 1000
ERC1155_QUANTUM = 10
EMPTY_VAULT = vault_leaf(0, 0, 0)
assert EMPTY_VAULT == ZERO_VAULT_HASH


def Mod(stark_key: int, asset_id: int, vault_id: int, diff: int, full: bool = False) -> Modification:
    """One modification (offchain.spot.rules), full: serves a full withdrawal request."""
    return Modification(stark_key, asset_id, vault_id, diff, full)


@dataclass
class Spot:
    contract: object
    registry: object
    committee: object
    governor: object
    operator: object
    chain: object
    vaults: SparseTree
    order_root: int = 0
    batch_id: int = NO_BATCH
    sequence_number: int = 0
    assets: dict = field(default_factory=dict)

    @property
    def vault_root(self) -> int:
        return self.contract.getValidiumVaultRoot()

    def batch(self, modifications=(), vault_leaves: dict | None = None, **kw) -> SpotOutput:
        """The next batch (docs/spot/program-output.md), changing validium vaults only;
        vault_leaves: vault id -> (stark key, asset id, balance) after it. kw overrides a field:
        initial_vault_root, final_vault_root, final_order_root, expiration_hours, vault_height,
        order_height, conditions."""
        c = self.contract
        tree = SparseTree(VAULT_HEIGHT, dict(self.vaults.leaves), empty_leaf=EMPTY_VAULT)
        for vault_id, leaf in (vault_leaves or {}).items():
            tree.leaves[vault_id] = vault_leaf(*leaf)
        rollup_root = c.getRollupVaultRoot()
        out = SpotOutput(
            global_config_code=kw.pop("global_config_code", 0),
            initial_roots=(kw.pop("initial_vault_root", c.getValidiumVaultRoot()), rollup_root, self.order_root),
            final_roots=(kw.pop("final_vault_root", tree.root()), rollup_root,
                         kw.pop("final_order_root", self.order_root + 1)),
            global_expiration_timestamp=kw.pop("expiration_hours", self.chain.pending_timestamp // 3600 + 1),
            heights=(kw.pop("vault_height", VAULT_HEIGHT), VAULT_HEIGHT, kw.pop("order_height", ORDER_HEIGHT)),
            modifications=list(modifications), conditions=kw.pop("conditions", []))
        assert not kw, kw
        out.tree = tree
        return out

    def prove(self, b: SpotOutput, availability: bool = True) -> list[int]:
        words = b.to_words()
        self.registry.registerFact(batch_fact(PROGRAM_HASH.to_bytes(32, "big"), words), sender=self.governor)
        if availability:
            fact = words_hash([b.final_roots[0], b.heights[0], b.final_roots[2], b.heights[2],
                               self.sequence_number + 1])
            self.committee.registerFact(fact, sender=self.governor)
        return words

    def app_data(self, batch_id=None, previous=None, conditions=()) -> list[int]:
        batch_id = (0 if self.batch_id == NO_BATCH else self.batch_id + 1) if batch_id is None else batch_id
        words = [batch_id, self.batch_id if previous is None else previous]
        for registry, fact in conditions:
            words += [int(registry, 16), int.from_bytes(fact, "big")]
        return words

    def submit(self, b: SpotOutput, app: list[int] | None = None, prove: bool = True):
        words = self.prove(b) if prove else b.to_words()
        app = app or self.app_data()
        receipt = self.contract.updateState(words, app, sender=self.operator)
        self.vaults = getattr(b, "tree", self.vaults)
        self.order_root = b.final_roots[2]
        self.batch_id = app[0]
        self.sequence_number += 1
        return receipt


def spot_init_params(governor, escape_verifier, registry, committee, mode=VALIDIUM):
    """SpotInitParams (contracts/spot/SpotTypes.sol) as the tuple initialize takes."""
    genesis = SparseTree(VAULT_HEIGHT, empty_leaf=EMPTY_VAULT).root()
    return (governor.address, escape_verifier.address, [registry.address],
            [committee.address] if mode == VALIDIUM else [], PROGRAM_HASH, mode, 0, genesis, VAULT_HEIGHT,
            genesis, VAULT_HEIGHT, 0, ORDER_HEIGHT)


@pytest.fixture(scope="session")
def vault_escape_verifier(project, accounts):
    return accounts[0].deploy(project.VaultEscapeVerifier)


@pytest.fixture(scope="session")
def token_admin(accounts):
    return accounts[4]


def _register(c, token_admin, kind: AssetKind, address: str | None, quantum: int) -> int:
    receipt = c.registerToken(asset_info(kind, address), quantum, sender=token_admin)
    return receipt.events[0].assetType


def deploy_spot(project, governor, operator, token_admin, chain, escape_verifier) -> Spot:
    """StarkExchange with development registries, an operator, a token administrator and one
    registered asset of every kind (mintable tokens minting only for the exchange)."""
    registry = governor.deploy(project.LocalDevFactRegistry)
    committee = governor.deploy(project.LocalDevFactRegistry)
    c = deploy_stark_exchange(project, governor, spot_init_params(governor, escape_verifier, registry, committee))
    c.registerOperator(operator, sender=governor)
    c.registerTokenAdmin(token_admin, sender=governor)
    spot = Spot(c, registry, committee, governor, operator, chain, SparseTree(VAULT_HEIGHT, empty_leaf=EMPTY_VAULT))
    tokens = {
        AssetKind.ERC20: governor.deploy(project.MintableERC20),
        AssetKind.ERC721: governor.deploy(project.TestERC721),
        AssetKind.ERC1155: governor.deploy(project.TestERC1155),
        AssetKind.MINTABLE_ERC20: governor.deploy(project.TestMintableERC20, c.address),
        AssetKind.MINTABLE_ERC721: governor.deploy(project.TestMintableERC721, c.address),
        AssetKind.MINTABLE_ERC1155: governor.deploy(project.TestMintableERC1155, c.address),
    }
    quanta = {AssetKind.ETH: ETH_QUANTUM, AssetKind.ERC20: ERC20_QUANTUM, AssetKind.ERC721: 1,
              AssetKind.ERC1155: ERC1155_QUANTUM, AssetKind.MINTABLE_ERC20: ERC20_QUANTUM,
              AssetKind.MINTABLE_ERC721: 1, AssetKind.MINTABLE_ERC1155: ERC1155_QUANTUM}
    for kind, quantum in quanta.items():
        token = tokens.get(kind)
        spot.assets[kind] = (_register(c, token_admin, kind, token.address if token else None, quantum), token)
    return spot


@pytest.fixture(scope="module")
def _spot(project, governor, operator, token_admin, chain, vault_escape_verifier):
    return deploy_spot(project, governor, operator, token_admin, chain, vault_escape_verifier)


@pytest.fixture
def spot(_spot) -> Spot:
    return Spot(**{**vars(_spot), "vaults": SparseTree(VAULT_HEIGHT, dict(_spot.vaults.leaves), empty_leaf=EMPTY_VAULT),
                   "assets": dict(_spot.assets)})


@pytest.fixture
def alice_key(spot, alice) -> int:
    register_user(spot.contract, alice, ALICE_STARK_PRIVATE)
    return stark_key(ALICE_STARK_PRIVATE)


@pytest.fixture
def bob_key(spot, bob) -> int:
    register_user(spot.contract, bob, BOB_STARK_PRIVATE)
    return stark_key(BOB_STARK_PRIVATE)


def _quantum_and_address(spot, kind: AssetKind):
    type_, token = spot.assets[kind]
    return spot.contract.getQuantum(type_), token.address


def token_id_asset(spot, kind: AssetKind, token_id: int) -> int:
    return asset_id(kind, *_quantum_and_address(spot, kind), token_id=token_id)


def minted_asset(spot, kind: AssetKind, blob: bytes) -> int:
    return asset_id(kind, *_quantum_and_address(spot, kind), minting_blob=blob)


def blob(token_id: int) -> bytes:
    return encode(["uint256"], [token_id])
