#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest: valid JSON, the right app, runtime and command,
and a last module that builds this project with meson from its own source tree."""

import json
import os
import sys


def fail(message):
    print(f"check-manifest: {message}", file=sys.stderr)
    sys.exit(1)


def main(argv):
    if len(argv) != 3:
        print(f"usage: {os.path.basename(argv[0])} MANIFEST APP_ID", file=sys.stderr)
        return 2

    manifest_path, app_id = argv[1], argv[2]

    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    except OSError as e:
        fail(f"cannot read {manifest_path}: {e.strerror}")
    except json.JSONDecodeError as e:
        fail(f"{manifest_path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}")

    if not isinstance(manifest, dict):
        fail(f"{manifest_path}: the top level must be a JSON object")

    expected = {
        "app-id": app_id,
        "runtime": "org.gnome.Platform",
        "sdk": "org.gnome.Sdk",
        "command": "certdesk",
    }
    for key, value in expected.items():
        actual = manifest.get(key)
        if actual != value:
            fail(f"{manifest_path}: \"{key}\" is {json.dumps(actual)}, expected \"{value}\"")

    modules = manifest.get("modules")
    if not isinstance(modules, list) or not modules:
        fail(f"{manifest_path}: \"modules\" must be a non-empty list")

    last = modules[-1]
    if not isinstance(last, dict):
        fail(f"{manifest_path}: the last module must be an object, not a file reference")

    name = last.get("name", "(unnamed)")
    if last.get("buildsystem") != "meson":
        fail(f"{manifest_path}: the last module \"{name}\" must use \"buildsystem\": \"meson\", "
             f"not {json.dumps(last.get('buildsystem'))}")

    dir_sources = [s for s in last.get("sources", [])
                   if isinstance(s, dict) and s.get("type") == "dir"]
    if not dir_sources:
        fail(f"{manifest_path}: the last module \"{name}\" has no source of type \"dir\"")

    manifest_dir = os.path.dirname(os.path.abspath(manifest_path))
    for source in dir_sources:
        path = source.get("path")
        if not isinstance(path, str) or not path:
            fail(f"{manifest_path}: a \"dir\" source of \"{name}\" has no \"path\"")
        source_dir = os.path.normpath(os.path.join(manifest_dir, path))
        top_build = os.path.join(source_dir, "meson.build")
        if not os.path.isfile(top_build):
            fail(f"{manifest_path}: the \"dir\" source path {json.dumps(path)} resolves to "
                 f"{source_dir}, which has no meson.build")
        try:
            with open(top_build, encoding="utf-8") as f:
                top = f.read()
        except OSError as e:
            fail(f"cannot read {top_build}: {e.strerror}")
        if "project(" not in top:
            fail(f"{manifest_path}: {top_build} is not a top-level meson.build "
                 "(it has no project() call)")

    print(f"check-manifest: {manifest_path} is fine")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
