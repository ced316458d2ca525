#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a source file with translatable strings is missing from POTFILES.in, or when
POTFILES.in lists a file that does not exist."""

import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
listed = {
    line.strip()
    for line in (root / "po" / "POTFILES.in").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}

marks = {
    ".c": re.compile(r'\b(?:_|N_|C_|NC_)\s*\(\s*"|g_dngettext\s*\(|ngettext\s*\('),
    ".ui": re.compile(r'translatable="yes"'),
}

needed = set()
for folder in ("src", "ui"):
    for path in sorted((root / folder).rglob("*")):
        mark = marks.get(path.suffix)
        if mark and mark.search(path.read_text(encoding="utf-8")):
            needed.add(path.relative_to(root).as_posix())

problems = [f"missing from po/POTFILES.in: {name}" for name in sorted(needed - listed)]
problems += [f"listed in po/POTFILES.in but absent: {name}"
             for name in sorted(listed) if not (root / name).exists()]

for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
