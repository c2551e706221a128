// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// ModExp lives in crypto/ with the other field and curve code. This forwarding import keeps the
// STARK verifier's `import {ModExp} from "../../common/ModExp.sol"` compiling until it points
// at crypto/ModExp.sol itself; nothing else should import it from here.
import {ModExp} from "../crypto/ModExp.sol";
