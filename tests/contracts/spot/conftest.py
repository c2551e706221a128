"""Fixtures for StarkExchange (Spot) behind its upgrade proxy, initialized in the deploying
transaction (offchain.l1.spot_exchange.deploy_stark_exchange), with a development fact registry
as the verifier chain and a second one standing in for the committee; a token administrator;
one token of every kind, registered; and helpers to submit batches (SpotOutput's layout)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from eth_abi import encode

from offchain.l1.spot_exchange import deploy_stark_exchange
from offchain.l1.users import register_user
from offchain.spot.assets import AssetKind, asset_id_with_token_id, asset_info, asset_type, mintable_asset_id

from ..batch_builder import NO_BATCH, VALIDIUM, batch_fact, words_hash
from ..conftest import ALICE_STARK_PRIVATE, BOB_STARK_PRIVATE, stark_key
from ..stark_tree import SparseTree, vault_leaf

PROGRAM_HASH = 0x5B07
VAULT_HEIGHT = 31
ORDER_HEIGHT = 64
BIAS = 2**63
FULL_WITHDRAWAL_BIT = 1 << 95
ETH_QUANTUM = 10**10
ERC20_QUANTUM = 1000
ERC1155_QUANTUM = 10
EMPTY_VAULT = vault_leaf(0, 0, 0)


@dataclass
class Mod:
    """One modification: balance change of (stark key, asset id) in a vault; full: serves a full
    withdrawal request."""
    stark_key: int
    asset_id: int
    vault_id: int
    diff: int
    full: bool = False

    def words(self) -> list[int]:
        params = (self.vault_id << 64) + self.diff + BIAS + (FULL_WITHDRAWAL_BIT if self.full else 0)
        return [self.stark_key, self.asset_id, params]


@dataclass
class SpotBatch:
    initial_vault_root: int
    final_vault_root: int
    initial_order_root: int
    final_order_root: int
    expiration_hours: int
    modifications: list[Mod] = field(default_factory=list)
    conditions: list[int] = field(default_factory=list)
    vault_height: int = VAULT_HEIGHT
    order_height: int = ORDER_HEIGHT

    def words(self) -> list[int]:
        out = [self.initial_vault_root, self.final_vault_root, self.initial_order_root, self.final_order_root,
               self.expiration_hours, self.vault_height, self.order_height, len(self.modifications),
               len(self.conditions)]
        for m in self.modifications:
            out += m.words()
        return out + list(self.conditions)


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
        return self.contract.getVaultRoot()

    def batch(self, modifications=(), vault_leaves: dict | None = None, **kw) -> SpotBatch:
        """The next batch; vault_leaves: vault id -> (stark key, asset id, balance) after it."""
        initial = kw.pop("initial_vault_root", None)
        initial = self.contract.getVaultRoot() if initial is None else initial
        tree = SparseTree(VAULT_HEIGHT, dict(self.vaults.leaves), empty_leaf=EMPTY_VAULT)
        for vault_id, leaf in (vault_leaves or {}).items():
            tree.leaves[vault_id] = vault_leaf(*leaf)
        kw.setdefault("final_vault_root", tree.root())
        kw.setdefault("expiration_hours", self.chain.pending_timestamp // 3600 + 1)
        b = SpotBatch(initial_vault_root=initial, initial_order_root=self.order_root,
                      final_order_root=kw.pop("final_order_root", self.order_root + 1),
                      modifications=list(modifications), **kw)
        b.tree = tree
        return b

    def prove(self, b: SpotBatch, availability: bool = True) -> list[int]:
        words = b.words()
        self.registry.registerFact(batch_fact(PROGRAM_HASH.to_bytes(32, "big"), words), sender=self.governor)
        if availability:
            fact = words_hash([b.final_vault_root, b.vault_height, b.final_order_root, b.order_height,
                               self.sequence_number + 1])
            self.committee.registerFact(fact, sender=self.governor)
        return words

    def app_data(self, batch_id=None, previous=None, conditions=()) -> list[int]:
        batch_id = (0 if self.batch_id == NO_BATCH else self.batch_id + 1) if batch_id is None else batch_id
        words = [batch_id, self.batch_id if previous is None else previous]
        for registry, fact in conditions:
            words += [int(registry, 16), int.from_bytes(fact, "big")]
        return words

    def submit(self, b: SpotBatch, app: list[int] | None = None, prove: bool = True):
        words = self.prove(b) if prove else b.words()
        app = app or self.app_data()
        receipt = self.contract.updateState(words, app, sender=self.operator)
        self.vaults = getattr(b, "tree", self.vaults)
        self.order_root = b.final_order_root
        self.batch_id = app[0]
        self.sequence_number += 1
        return receipt


def spot_init_params(governor, escape_verifier, registry, committee, mode=VALIDIUM, vault_height=VAULT_HEIGHT):
    """SpotInitParams (contracts/spot/SpotTypes.sol) as the tuple initialize takes."""
    genesis = SparseTree(vault_height, empty_leaf=EMPTY_VAULT).root()
    return (governor.address, escape_verifier.address, [registry.address],
            [committee.address] if mode == VALIDIUM else [], PROGRAM_HASH, mode, genesis, vault_height, 0,
            ORDER_HEIGHT)


@pytest.fixture(scope="session")
def vault_escape_verifier(project, accounts):
    return accounts[0].deploy(project.VaultEscapeVerifier)


@pytest.fixture(scope="session")
def token_admin(accounts):
    return accounts[4]


def _register(c, token_admin, kind: AssetKind, address: str | None, quantum: int) -> int:
    info = asset_info(kind, address)
    c.registerToken(info, quantum, sender=token_admin)
    return asset_type(info, quantum)


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


def token_id_asset(spot, kind: AssetKind, token_id: int) -> int:
    return asset_id_with_token_id(kind, spot.assets[kind][0], token_id)


def minted_asset(spot, kind: AssetKind, blob: bytes) -> int:
    return mintable_asset_id(kind, spot.assets[kind][0], blob)


def blob(token_id: int) -> bytes:
    return encode(["uint256"], [token_id])
