#!/usr/bin/env node
// Answers the two calls py-solc-x / ape-solidity make of a native solc binary
// (`--version` and `--standard-json`) using solcjs (wasm), because no native solc
// can be installed from the registries this project is allowed to use.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require(path.join(__dirname, '..', 'node_modules', 'solc'));

const args = process.argv.slice(2);

function optionValues(name) {
  const values = [];
  args.forEach((arg, i) => {
    if (arg === name && i + 1 < args.length) values.push(args[i + 1]);
    else if (arg.startsWith(name + '=')) values.push(arg.slice(name.length + 1));
  });
  return values;
}

if (args.includes('--version')) {
  const long = solc.version(); // e.g. 0.8.28+commit.7893614a.Emscripten.clang
  process.stdout.write('solc, the solidity compiler commandline interface\n');
  process.stdout.write('Version: ' + long.replace('.Emscripten.clang', '.Linux.g++') + '\n');
  process.exit(0);
}

if (!args.includes('--standard-json')) {
  process.stderr.write('solc-wrapper: only --version and --standard-json are supported\n');
  process.exit(2);
}

// Import resolution mirrors native solc: base path, include paths and allowed paths.
const roots = [process.cwd()]
  .concat(optionValues('--base-path'))
  .concat(optionValues('--include-path'))
  .concat(optionValues('--allow-paths').flatMap((v) => v.split(',')));

function findImports(importPath) {
  const candidates = path.isAbsolute(importPath)
    ? [importPath]
    : roots.map((root) => path.resolve(root, importPath));
  for (const candidate of candidates) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      return { contents: fs.readFileSync(candidate, 'utf8') };
    }
  }
  return { error: 'File not found: ' + importPath };
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  // solcjs cannot read `urls` itself: inline them as content.
  for (const [name, source] of Object.entries(request.sources || {})) {
    if (source.content === undefined && Array.isArray(source.urls)) {
      for (const url of source.urls) {
        const found = findImports(url);
        if (found.contents !== undefined) { source.content = found.contents; delete source.urls; break; }
      }
    }
    if (source.content === undefined && source.urls === undefined) {
      const found = findImports(name);
      if (found.contents !== undefined) source.content = found.contents;
    }
  }
  const output = solc.compile(JSON.stringify(request), { import: findImports });
  process.stdout.write(output);
});
