#!/usr/bin/env python3
"""Checks the layering rule of qmac's sources:

    model/numerics <- model/{files, dot, units, array, accuracy, sc, cost} <- testbench <- sim

Every quoted #include and every target a model/ library links is traced to
the component that owns it; a component may use only those listed in ALLOWED.
Tests of a component may also use the shared test helpers (cmake/include) and
the golden model's test references. Prints one line per violation and exits 1
if there is any; `--self-test` plants violations and checks they are found.

usage: check_layering.py [--self-test] [ROOT]
"""
import os
import re
import shutil
import sys
import tempfile

MODEL = ["numerics", "files", "dot", "units", "array", "accuracy", "sc", "cost"]
ALLOWED = {
    "model/numerics": set(),
    "model/files": set(),
    "model/dot": {"model/numerics"},
    "model/units": {"model/numerics", "model/dot"},
    "model/array": {"model/numerics", "model/dot"},
    "model/accuracy": {"model/numerics", "model/dot"},
    "model/sc": {"model/numerics", "model/array", "model/dot"},
    "model/cost": {"model/numerics", "model/dot", "model/units", "model/files"},
    "testbench": {"model/" + m for m in MODEL},
    "sim": {"model/" + m for m in MODEL} | {"testbench"},
    "fuzz": {"model/" + m for m in MODEL} | {"testbench", "sim"},
    "examples": {"model/numerics"},
}
TEST_EXTRA = {"cmake", "model/numerics/tests"}  # shared test helpers
# Libraries of testbench/ and sim/ that a model/ CMakeLists must never link.
UPPER_TARGETS = {
    "qmac_rtl_check": "testbench", "qmac_rtl_models": "testbench", "qmac_rtl_golden": "testbench",
    "qmac_rtl_arrays": "testbench", "qmac_verilated_runtime": "testbench",
    "qmac_workload": "sim",
}
SOURCES = (".h", ".cpp", ".in")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def component(rel):
    parts = rel.split("/")
    if parts[0] == "model" and len(parts) > 1:
        return "model/" + parts[1]
    return parts[0]


def is_test(rel):
    return "/tests/" in rel or rel.startswith("fuzz/")


def index_headers(root):
    """basename -> components that own a header of that name."""
    owners = {}
    for top in ["model", "testbench", "sim", "cmake", "fuzz", "examples"]:
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith(".h"):
                    rel = os.path.relpath(os.path.join(d, f), root)
                    owner = "model/numerics/tests" if rel.startswith("model/numerics/tests/") else component(rel)
                    if rel.startswith("cmake/"):
                        owner = "cmake"
                    owners.setdefault(f, set()).add(owner)
    return owners


def include_owner(name, comp, owners):
    m = re.match(r"qmac/([a-z]+)/", name)
    if m:
        return {"testing": "cmake"}.get(m.group(1), "model/" + m.group(1))
    base = os.path.basename(name)
    found = owners.get(base, set())
    if not found or comp in found or any(o.startswith(comp + "/") for o in found):
        return None  # the component's own header, or a system/generated one
    return sorted(found)[0]


def violations(root):
    owners = index_headers(root)
    out = []
    for top in ALLOWED:
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                path = os.path.join(d, f)
                rel = os.path.relpath(path, root)
                comp = component(rel)
                allowed = ALLOWED[comp] | {comp}
                if is_test(rel):
                    allowed = allowed | TEST_EXTRA
                if f.endswith(SOURCES):
                    text = open(path, encoding="utf-8", errors="replace").read()
                    for m in INCLUDE.finditer(text):
                        owner = include_owner(m.group(1), comp, owners)
                        if owner and owner not in allowed:
                            line = text.count("\n", 0, m.start()) + 1
                            out.append(f"{rel}:{line}: {comp} includes \"{m.group(1)}\" of {owner}")
                elif f == "CMakeLists.txt" and comp.startswith("model/"):
                    text = open(path, encoding="utf-8").read()
                    for target, owner in UPPER_TARGETS.items():
                        for m in re.finditer(r"\b%s\b" % target, text):
                            line = text.count("\n", 0, m.start()) + 1
                            out.append(f"{rel}:{line}: {comp} links {target} of {owner}")
    return out


def self_test(root):
    """A planted backward include and a planted backward link, in a copy of the
    tree, must be found."""
    with tempfile.TemporaryDirectory() as tmp:
        for top in ALLOWED.keys() | {"cmake"}:
            if os.path.isdir(os.path.join(root, top)):
                shutil.copytree(os.path.join(root, top), os.path.join(tmp, top),
                                ignore=shutil.ignore_patterns("corpus"))
        plants = {"model/numerics/src/plant.cpp": '#include "check.h"\n',
                  "model/cost/src/plant.h": '#include "qmac/sc/mac_pe.h"\n'}
        for rel, text in plants.items():
            open(os.path.join(tmp, rel), "w").write(text)
        with open(os.path.join(tmp, "model/array/CMakeLists.txt"), "a") as cmake:
            cmake.write("target_link_libraries(x qmac_rtl_check)\n")
        found = "\n".join(violations(tmp))
    missed = [p for p in list(plants) + ["model/array/CMakeLists.txt"] if p not in found]
    if missed:
        print("check_layering self-test: planted violations not found: " + ", ".join(missed))
        return 1
    print("check_layering self-test: 3 planted violations found")
    return 0


def main(argv):
    args = [a for a in argv if a != "--self-test"]
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), ".."))
    if "--self-test" in argv:
        return self_test(root)
    bad = violations(root)
    for v in bad:
        print(v)
    print(f"check_layering: {len(bad)} violation(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
