// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The Cairo programs the verifier accepts, by code hash (keccak256 of the bytecode words,
/// offchain/prover/cairo/statement.py program_code_hash). A statement names its program by that
/// hash instead of carrying its cells (the batch program is 4,215 words: 135 KiB, more than a
/// transaction may hold), so the bytecode is written once: in chunks of at most MAX_CHUNK_WORDS
/// words, each the code of a data contract this store creates (a STOP byte, then the words, so
/// it can never run), then registered under the hash of their concatenation. Content-addressed:
/// anyone may register a program, and a hash names exactly one bytecode.
contract CairoProgramStore {
    /// @notice Words per chunk: a contract's code is at most 24,576 bytes, one is the STOP.
    uint256 public constant MAX_CHUNK_WORDS = 767;

    struct Program {
        address[] chunks;
        uint256 length;
    }

    mapping(address => uint256) private chunkWords; // words + 1 of each chunk this store created
    mapping(bytes32 => Program) private programs;

    event ChunkStored(address indexed chunk, uint256 words);
    event ProgramRegistered(bytes32 indexed codeHash, uint256 length, uint256 chunks);

    error BadChunk(uint256 words);
    error UnknownChunk(address chunk);
    error EmptyProgram();
    error UnknownProgram(bytes32 codeHash);
    error OutOfRange(uint256 from, uint256 count, uint256 length);

    /// @notice Writes words into a new data contract; returns its address.
    function storeChunk(uint256[] calldata words) external returns (address chunk) {
        uint256 n = words.length;
        if (n == 0 || n > MAX_CHUNK_WORDS) revert BadChunk(n);
        uint256 size = 1 + 32 * n;
        // Init code: copy the runtime (the 12 bytes after the init code on) and return it.
        bytes memory init = abi.encodePacked(hex"61", uint16(size), hex"80600c6000396000f3", hex"00", words);
        assembly ("memory-safe") {
            chunk := create(0, add(init, 0x20), mload(init))
        }
        if (chunk == address(0)) revert BadChunk(n);
        chunkWords[chunk] = n + 1;
        emit ChunkStored(chunk, n);
    }

    /// @notice Registers the concatenation of chunks (created by storeChunk) as a program; returns
    /// its code hash. Registering a program twice changes nothing.
    function register(address[] calldata chunks) external returns (bytes32 codeHash) {
        if (chunks.length == 0) revert EmptyProgram();
        uint256 length = 0;
        for (uint256 i = 0; i < chunks.length; i++) {
            uint256 n = chunkWords[chunks[i]];
            if (n == 0) revert UnknownChunk(chunks[i]);
            length += n - 1;
        }
        uint256[] memory words = _read(chunks, length);
        codeHash = keccak256(abi.encodePacked(words));
        if (programs[codeHash].length == 0) {
            programs[codeHash] = Program(chunks, length);
            emit ProgramRegistered(codeHash, length, chunks.length);
        }
    }

    /// @notice The program's length in words; 0 if no program has this code hash.
    function length(bytes32 codeHash) external view returns (uint256) {
        return programs[codeHash].length;
    }

    /// @notice Words [from, from + count) of a program.
    function words(bytes32 codeHash, uint256 from, uint256 count) external view returns (uint256[] memory out) {
        Program storage p = _program(codeHash);
        if (from > p.length || count > p.length - from) revert OutOfRange(from, count, p.length);
        out = new uint256[](count);
        uint256 start = 0; // the chunk's first word in the program
        for (uint256 i = 0; i < p.chunks.length && start < from + count; i++) {
            address chunk = p.chunks[i];
            uint256 n = chunkWords[chunk] - 1;
            // The overlap of [start, start + n) and [from, from + count).
            uint256 lo = start > from ? start : from;
            uint256 hi = start + n < from + count ? start + n : from + count;
            if (lo < hi) {
                assembly ("memory-safe") {
                    extcodecopy(chunk, add(add(out, 0x20), shl(5, sub(lo, from))), add(1, shl(5, sub(lo, start))), shl(5, sub(hi, lo)))
                }
            }
            start += n;
        }
    }

    /// @notice keccak256 of prefix words followed by the program's words (the program hash of
    /// offchain/facts.py when the prefix is its builtin header).
    function hashWithPrefix(bytes32 codeHash, uint256[] calldata prefix) external view returns (bytes32) {
        Program storage p = _program(codeHash);
        return keccak256(abi.encodePacked(prefix, _read(p.chunks, p.length)));
    }

    /// @notice prod_i (z - (begin + i + alpha * word_i)) mod `prime`: the program's factor of the
    /// public memory product of a Cairo proof (its cells at begin, begin + 1, ...).
    function memoryProduct(bytes32 codeHash, uint256 begin, uint256 z, uint256 alpha, uint256 prime)
        external
        view
        returns (uint256 product)
    {
        Program storage p = _program(codeHash);
        uint256[] memory all = _read(p.chunks, p.length);
        // In assembly: one product per bytecode word (thousands).
        assembly ("memory-safe") {
            product := 1
            let address_ := mod(begin, prime)
            let end := add(all, shl(5, add(mload(all), 1)))
            for { let at := add(all, 0x20) } lt(at, end) { at := add(at, 0x20) } {
                let cell := addmod(address_, mulmod(alpha, mload(at), prime), prime)
                product := mulmod(product, addmod(z, sub(prime, cell), prime), prime)
                address_ := addmod(address_, 1, prime)
            }
        }
    }

    function _program(bytes32 codeHash) private view returns (Program storage p) {
        p = programs[codeHash];
        if (p.length == 0) revert UnknownProgram(codeHash);
    }

    function _read(address[] memory chunks, uint256 total) private view returns (uint256[] memory out) {
        out = new uint256[](total);
        uint256 at = 0;
        for (uint256 i = 0; i < chunks.length; i++) {
            address chunk = chunks[i];
            uint256 n = chunkWords[chunk] - 1;
            assembly ("memory-safe") {
                extcodecopy(chunk, add(add(out, 0x20), mul(at, 0x20)), 1, mul(n, 0x20))
            }
            at += n;
        }
    }
}
