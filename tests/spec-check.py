#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""spec-check.py - check that the YNL spec and the UAPI header agree.

Reads Documentation/netlink/specs/evn.yaml, derives the C name and value of
every attribute, command and flag it defines (as the YNL generator would),
and compiles one _Static_assert per item against include/uapi/linux/evn.h.
Exits non-zero, naming each mismatch, when they disagree.
"""
import re
import subprocess
import sys
import tempfile

import yaml


def c_name(*parts):
    return "".join(parts).upper().replace("-", "_")


def main(spec_path, include_dir):
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    family = spec["name"]
    asserts = []

    def want(expr, what):
        asserts.append(f'_Static_assert({expr}, "{what}");')

    for d in spec.get("definitions", []):
        if d["type"] not in ("flags", "enum"):
            continue
        prefix = d.get("name-prefix", f"{family}-{d['name']}-")
        start = d.get("value-start", 0)
        for i, e in enumerate(d["entries"]):
            name = c_name(prefix, e["name"] if isinstance(e, dict) else e)
            if d["type"] == "flags":
                want(f"({name}) == (1ULL << {i})", f"{name} is bit {i} in the spec")
            else:
                want(f"{name} == {start + i}", f"{name} is {start + i} in the spec")

    for aset in spec.get("attribute-sets", []):
        prefix = aset.get("name-prefix", f"{family}-a-{aset['name']}-")
        value = 1
        for a in aset["attributes"]:
            value = a.get("value", value)
            name = c_name(prefix, a["name"])
            want(f"{name} == {value}", f"{name} is {value} in the spec")
            value += 1
        last = c_name(prefix, aset["attributes"][-1]["name"])
        mx = c_name(prefix, "max")
        want(f"{mx} == {last}", f"{mx} is the last attribute of the spec")

    ops = spec["operations"]
    prefix = ops.get("name-prefix", f"{family}-cmd-")
    value = 1
    for op in ops["list"]:
        value = op.get("value", value)
        name = c_name(prefix, op["name"])
        want(f"{name} == {value}", f"{name} is {value} in the spec")
        value += 1
    want(f"{c_name(prefix, 'max')} == {c_name(prefix, ops['list'][-1]['name'])}",
         "the last command of the spec is the last of the header")
    # A string cannot be compared in a static assertion: match the text.
    with open(f"{include_dir}/linux/evn.h") as f:
        if not re.search(rf'#define\s+EVN_FAMILY_NAME\s+"{family}"', f.read()):
            print(f"EVN_FAMILY_NAME is not \"{family}\"", file=sys.stderr)
            return 1

    src = "#include <linux/evn.h>\n" + "\n".join(asserts) + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".c") as t:
        t.write(src)
        t.flush()
        r = subprocess.run(["cc", "-std=c11", "-fsyntax-only", "-I", include_dir,
                            t.name], capture_output=True, text=True)
    if r.returncode:
        errs = [l for l in r.stderr.splitlines() if "error" in l]
        print("\n".join(errs) or r.stderr, file=sys.stderr)
        return 1
    print(f"spec-check: {len(asserts)} items of {spec_path} match the header")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
