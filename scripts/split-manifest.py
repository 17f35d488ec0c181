#!/usr/bin/env python3
"""Prints which wasm files each split of the portal needs, as JSON: {"<split name>": ["split_<name>",
"chunk_4", ...]}, read from wasm-split-cli's loader (__wasm_split.js). The server gives it to leptos,
which then names the files of the page's section in <link rel="preload">, so the browser fetches
them beside the main module instead of after it. Usage: split-manifest.py <loader.js>"""
import json
import re
import sys

loader = open(sys.argv[1]).read()
# `const __chunk_4 = makeLoad(() => { ... "./chunk_4.wasm" ... }, [__chunk_5]);`, and the same
# with `export const __wasm_split_load_<name> = wrapAsyncCb(makeLoad(...` for each split.
modules = re.findall(
    r'const (\w+) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\./(\w+)\.wasm", import\.meta\.url\)\);.*?\n, \[([^\]]*)\]\)',
    loader,
    re.S,
)
files = {name: (file, [dep.strip() for dep in deps.split(",") if dep.strip()]) for name, file, deps in modules}


def needs(name, seen):
    if name not in seen:
        seen.append(name)
        for dep in files[name][1]:
            needs(dep, seen)
    return seen


manifest = {
    file.removeprefix("split_"): [files[needed][0] for needed in needs(name, [])]
    for name, (file, _) in files.items()
    if file.startswith("split_")
}
if not manifest:
    sys.exit(f"split-manifest.py: no splits found in {sys.argv[1]}; has wasm-split's loader changed?")
json.dump(manifest, sys.stdout, indent=1)
