// Python helpers every later hint uses, defined once in the hint scope: reading the batch input,
// writing positions into memory on first access, and the Pedersen Merkle trees whose node
// preimages merkle_multi_update needs. Hints are prover-side only: nothing here is trusted.
func define_hint_helpers() {
    %{
        from fast_stark_crypto import pedersen_hash as _H

        _TX_TYPES = {
            "DEPOSIT": 0, "FORCED_TRADE": 1, "FORCED_WITHDRAWAL": 2, "FUNDING_TICK": 3,
            "ORACLE_PRICES_TICK": 4, "TRADE": 5, "TRANSFER": 6, "LIQUIDATE": 7,
            "WITHDRAWAL": 8, "DELEVERAGE": 9, "CONDITIONAL_TRANSFER": 10,
        }
        _EMPTY_POSITION = {"public_key": 0, "collateral_balance": 0, "assets": {}}

        def _felt(value):
            return int(value) % PRIME

        def _signed(value):
            value = int(value) % PRIME
            return value - PRIME if value > PRIME // 2 else value

        def _get(obj, path):
            for part in path.split("."):
                obj = obj[part]
            return obj

        def _load_tx(ref, tx, names):
            for name in names:
                setattr(ref, name.replace(".", "_"), _felt(_get(tx, name)))

        def _sorted_assets(position):
            return sorted((_felt(k), v) for k, v in position.get("assets", {}).items())

        def _write_position(position):
            assets = _sorted_assets(position)
            flat = []
            for asset_id, asset in assets:
                flat += [asset_id, _felt(asset["cached_funding_index"]), _felt(asset["balance"])]
            return segments.gen_arg([
                _felt(position["public_key"]), _felt(position["collateral_balance"]),
                len(assets), flat])

        def _position_leaf(position):
            # The leaf of docs/program-output.md, computed in the field as position_hash does.
            assets = _sorted_assets(position)
            acc = 0
            for asset_id, asset in assets:
                acc = _H(acc, _felt(asset_id * 2**128 + (int(asset["cached_funding_index"]) + 2**63)
                                    * 2**64 + int(asset["balance"]) + 2**63))
            inner = _H(acc, _felt(position["public_key"]))
            return _H(inner, _felt((int(position["collateral_balance"]) + 2**63) * 2**16
                                   + len(assets)))

        class _LazyPositions(dict):
            def __missing__(self, key):
                stored = program_input["previous_state"]["positions"].get(str(key), _EMPTY_POSITION)
                value = _write_position(stored)
                self[key] = value
                return value

        def _sparse_root(leaves, height, empty_leaf, preimage):
            # Root of a height-`height` tree whose leaves are `empty_leaf` except `leaves`
            # (index -> value); records every internal node's children in `preimage`.
            empty = [empty_leaf]
            for _ in range(height):
                node = _H(empty[-1], empty[-1])
                preimage[node] = (empty[-1], empty[-1])
                empty.append(node)
            level = dict(leaves)
            for depth in range(height):
                parents = {}
                for index in {i >> 1 for i in level}:
                    left = level.get(2 * index, empty[depth])
                    right = level.get(2 * index + 1, empty[depth])
                    node = _H(left, right)
                    preimage[node] = (left, right)
                    parents[index] = node
                level = parents
            return level.get(0, empty[height])

        _EMPTY_POSITION_LEAF = _position_leaf(_EMPTY_POSITION)
    %}
    return ();
}
