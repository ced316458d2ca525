#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs, from Debian 12's own packages, everything Certdesk needs to build, run and test.
# Run as root (or through sudo).
set -euo pipefail

packages=(
  # build
  gcc
  meson
  ninja-build
  pkg-config
  gettext
  libglib2.0-dev
  libglib2.0-bin
  libgtk-4-dev
  libadwaita-1-dev
  libsqlite3-dev
  libidn2-dev
  libssl-dev
  libarchive-dev
  libjson-glib-dev
  # running the app
  adwaita-icon-theme
  fonts-cantarell
  # tests: validators, references, a display, and clang for the fuzz target
  clang
  libclang-rt-14-dev
  appstream
  desktop-file-utils
  idn2
  openssl
  openjdk-17-jre-headless
  python3
  xauth
  xvfb
)

export DEBIAN_FRONTEND=noninteractive
# OpenJDK's post-install step fails on minimal images that ship without manual-page folders.
mkdir -p /usr/share/man/man1
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
