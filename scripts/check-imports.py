#!/usr/bin/env python3
"""Checks that src/ has no import loops, that every import points down the layers (terraform,
domain, aws; helpers beside them), and that only src/terraform/ names tf_provider.

One node per module file, an edge for every `crate::` or `super::` path it names (test modules
left out). Prints the graph, then any LOOP or UP edge, and exits 1 if there is one.
Usage: scripts/check-imports.py [src]"""
import os, re, sys
# (make test passed --quiet as the root, so the check read no file: a flag is never the root)
args = [a for a in sys.argv[1:] if not a.startswith('--')]
root = args[0] if args else 'src'
mods = {}
for dirpath, _, files in os.walk(root):
    for f in files:
        if not f.endswith('.rs') or (dirpath == root and f == 'main.rs'): continue
        path = os.path.join(dirpath, f)
        rel = os.path.relpath(path, root)[:-3].split(os.sep)
        if rel[-1] == 'mod': rel = rel[:-1]
        if rel in (['lib'], ['main']): rel = []
        mods['::'.join(rel)] = path
def resolve(parts):
    # longest prefix of parts that names a module file
    for n in range(len(parts), 0, -1):
        name = '::'.join(parts[:n])
        if name in mods: return name
    return ''
edges = {m: set() for m in mods}
for mod, path in mods.items():
    src = open(path).read()
    src = re.sub(r'#\[cfg\(test\)\]\s*mod \w+ \{.*', '', src, flags=re.S)  # inline test modules
    src = re.sub(r'//[^\n]*', '', src)
    here = mod.split('::') if mod else []
    parent = here[:-1] if not path.endswith('mod.rs') else here[:-1]
    # `use crate::a::{b, c::d}` and `crate::a::b` paths
    for m in re.finditer(r'(?<!pub\()\b(crate|super)((?:::\w+)*)(::\{([^;]*?)\})?', src):
        base = [] if m.group(1) == 'crate' else (here[:-1] if not path.endswith('mod.rs') else here[:-1])
        parts = base + [p for p in m.group(2).split('::') if p]
        targets = [parts]
        if m.group(4):
            targets = [parts + [x.strip() for x in t.split('::') if x.strip()] for t in m.group(4).split(',') if t.strip()]
            targets += [parts]
        for t in targets:
            target = resolve(t)
            if target not in (mod, ''):
                edges[mod].add(target)
    # relative `pub use sub::X` in a parent module file
    for m in re.finditer(r'\bpub use (\w+)::', src):
        target = '::'.join(here + [m.group(1)])
        if target in mods: edges[mod].add(target)
# --quiet: only problems and the verdict (make test); otherwise the whole graph first.
if '--quiet' not in sys.argv:
    for m in sorted(edges):
        print(f"{m or 'lib'} -> {', '.join(sorted(edges[m])) or '-'}")
# Three folders are the layers, top to bottom; beside them, helpers any layer may use. An import
# may point down or sideways, never up.
RANKS = {'lib': 4, 'terraform': 3, 'domain': 2, 'aws': 1, 'validate': 0, 'ids': 0, 'text': 0, 'logging': 0}
def rank(m):
    return RANKS.get(m.split('::')[0] or 'lib')
up = [(a, b) for a in sorted(edges) for b in sorted(edges[a]) if rank(a) is None or rank(b) is None or rank(b) > rank(a)]
for a, b in up: print(f'UP: {a or "lib"} -> {b} (layer {rank(a)} -> {rank(b)})')
# cycles: DFS
state, stack, loops = {}, [], []
def dfs(n):
    state[n] = 1; stack.append(n)
    for t in sorted(edges[n]):
        if state.get(t) == 1: loops.append(stack[stack.index(t):] + [t])
        elif t not in state: dfs(t)
    stack.pop(); state[n] = 2
for n in sorted(edges):
    if n not in state: dfs(n)
for l in loops: print('LOOP: ' + ' -> '.join(x or 'lib' for x in l))
# Only the Terraform layer speaks Terraform's types (tests included).
tf = sorted(p for m, p in mods.items() if m.split('::')[0] != 'terraform' and m != '' and 'tf_provider' in re.sub(r'//[^\n]*', '', open(p).read()))
for p in tf: print(f'TF: {p} names tf_provider outside src/terraform/')
if loops or up or tf: sys.exit(1)
print('no loops, every import points down or sideways')
