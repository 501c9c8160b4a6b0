#!/usr/bin/python3
"""Checks the relative links of Markdown files: the file exists, and a
#fragment names a heading of it (GitHub's anchor rule).

    check_links.py [FILE.md ...]     default: every tracked *.md (git ls-files)

Prints each broken link as FILE:LINE: TARGET (reason); exit 1 if any.
"""
import os
import re
import subprocess
import sys

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*```")


def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path):
    seen, out = {}, set()
    fenced = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if FENCE.match(line):
                fenced = not fenced
                continue
            m = None if fenced else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if m:
                base = slug(m.group(1))
                n = seen.get(base, 0)
                seen[base] = n + 1
                out.add(base if n == 0 else f"{base}-{n}")
    return out


def check(path):
    broken = []
    fenced = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if FENCE.match(line):
                fenced = not fenced
                continue
            if fenced:
                continue
            for target in LINK.findall(re.sub(r"`[^`]*`", "", line)):
                if re.match(r"^[a-z]+:", target):
                    continue  # http:, https:, mailto:
                file, _, fragment = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
                if not os.path.exists(dest):
                    broken.append(f"{path}:{number}: {target} (no such file)")
                elif fragment and dest.endswith(".md") and fragment not in anchors(dest):
                    broken.append(f"{path}:{number}: {target} (no heading #{fragment})")
    return broken


def main(argv):
    files = argv[1:] or subprocess.run(["git", "ls-files", "*.md"], capture_output=True,
                                       text=True, check=True).stdout.split()
    broken = [b for f in files for b in check(f)]
    for b in broken:
        print(b)
    print(f"{len(files)} files, {len(broken)} broken links")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
