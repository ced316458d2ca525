#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer target for the bundle loader with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, makes a seed corpus with the openssl CLI (PEM, DER, PKCS#7,
# PKCS#12, keys and a zip of them) in a temporary directory and fuzzes for a bounded time.
# Exits non-zero when the fuzzer finds a crash, a leak, a sanitizer report or a slow input; the
# input that did it is kept in BUILD_DIR/fuzz-artifacts.
#
#   FUZZ_SECONDS  how long to fuzz (default 60)
#   BUILD_DIR     the clang build directory (default _build/fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${BUILD_DIR:-_build/fuzz}
seconds=${FUZZ_SECONDS:-60}
options=(-Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false)

if [ -d "$build_dir" ]; then
  CC=clang meson setup --wipe "$build_dir" "${options[@]}"
else
  CC=clang meson setup "$build_dir" "${options[@]}"
fi
meson compile -C "$build_dir" fuzz-bundle
fuzzer=$build_dir/tests/fuzz/fuzz-bundle

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seeds=$work/seeds
corpus=$work/corpus
artifacts=$build_dir/fuzz-artifacts
mkdir -p "$seeds" "$corpus" "$artifacts"

# --- the seed corpus: every format the loader reads, password "fuzz" as fuzz-bundle.c expects
(
  cd "$work"
  ossl () { openssl "$@" 2>/dev/null; }
  printf '[req]\ndistinguished_name = dn\n[dn]\n' > req.cnf

  ossl req -x509 -config req.cnf -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
    -subj "/C=DE/O=Certdesk Fuzz/CN=Fuzz Root" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:1" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
  ossl req -x509 -config req.cnf -CA ca.pem -CAkey ca.key -newkey ec \
    -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.pem -days 30 \
    -subj "/C=DE/ST=Bavaria/L=Munich/O=Brand/OU=Marketing/CN=t.mail.example.com" \
    -addext "subjectAltName=DNS:t.mail.example.com,DNS:xn--bcher-kva.example,IP:192.0.2.1,IP:2001:db8::1" \
    -addext "extendedKeyUsage=serverAuth,clientAuth" \
    -addext "keyUsage=critical,digitalSignature"
  ossl req -x509 -config req.cnf -newkey ed25519 -nodes -keyout ed.key -out ed.pem -days 30 \
    -subj "/CN=ed25519.example"

  cp leaf.pem ca.pem ed.pem "$seeds/"
  cat leaf.pem ca.pem > "$seeds/chain.pem"
  sed 's/$/\r/' "$seeds/chain.pem" > "$seeds/chain-crlf.pem"
  { ossl x509 -in leaf.pem -text; ossl x509 -in ca.pem -text; } > "$seeds/text.pem"
  cat leaf.key leaf.pem > "$seeds/key-and-cert.pem"
  ossl x509 -in leaf.pem -outform DER -out "$seeds/leaf.der"
  ossl crl2pkcs7 -nocrl -certfile leaf.pem -certfile ca.pem -out "$seeds/chain.p7b"
  ossl crl2pkcs7 -nocrl -certfile leaf.pem -certfile ca.pem -outform DER -out "$seeds/chain.p7c"
  ossl pkcs12 -export -in leaf.pem -inkey leaf.key -certfile ca.pem -passout pass:fuzz \
    -iter 16 -out "$seeds/leaf.p12"
  ossl pkcs12 -export -legacy -in leaf.pem -inkey leaf.key -passout pass:fuzz -iter 16 \
    -out "$seeds/legacy.p12"
  ossl pkcs12 -export -nomac -in leaf.pem -inkey leaf.key -passout pass:fuzz -iter 16 \
    -out "$seeds/nomac.p12"
  cp leaf.key "$seeds/leaf.p8"
  ossl pkcs8 -topk8 -v2 aes-256-cbc -iter 16 -in leaf.key -passout pass:fuzz \
    -out "$seeds/leaf-enc.p8"
  ossl pkcs8 -topk8 -v2 aes-256-cbc -iter 16 -in leaf.key -passout pass:fuzz -outform DER \
    -out "$seeds/leaf-enc.der"
  ossl rsa -in ca.key -traditional -out "$seeds/rsa-trad.key"
  ossl rsa -in ca.key -traditional -aes256 -passout pass:fuzz -out "$seeds/rsa-trad-enc.key"
  ossl ec -in leaf.key -out "$seeds/ec-trad.key"
  ossl ec -in leaf.key -aes256 -passout pass:fuzz -out "$seeds/ec-trad-enc.key"
  ossl req -new -config req.cnf -key leaf.key -subj "/CN=t.mail.example.com" \
    -out "$seeds/request.csr"

  python3 - "$seeds" <<'PYTHON'
import os
import sys
import zipfile

seeds = sys.argv[1]
with zipfile.ZipFile(os.path.join(seeds, "bundle.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.write(os.path.join(seeds, "leaf.pem"), "certs/server.pem")
    z.write(os.path.join(seeds, "chain.p7c"), "chain.p7c")
    z.write(os.path.join(seeds, "leaf.p12"), "keys/server.p12")
    z.writestr("README.txt", "Install the server certificate, then the CA.\n")
with zipfile.ZipFile(os.path.join(seeds, "stored.zip"), "w", zipfile.ZIP_STORED) as z:
    z.write(os.path.join(seeds, "leaf.der"), "leaf.der")
PYTHON
)

cat > "$work/bundle.dict" <<'DICT'
"-----BEGIN "
"-----END "
"-----"
"CERTIFICATE"
"TRUSTED CERTIFICATE"
"PKCS7"
"PRIVATE KEY"
"ENCRYPTED PRIVATE KEY"
"RSA PRIVATE KEY"
"EC PRIVATE KEY"
"Proc-Type: 4,ENCRYPTED"
"DEK-Info: AES-256-CBC,"
"\x0d\x0a"
"\xef\xbb\xbf"
"\xff\xfe"
"PK\x03\x04"
"PK\x01\x02"
"PK\x05\x06"
"\x30\x82"
"\x30\x80"
DICT

echo "Fuzzing for $seconds s with $(ls "$seeds" | wc -l) seeds"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export G_SLICE=always-malloc
"$fuzzer" "$corpus" "$seeds" \
  -dict="$work/bundle.dict" \
  -max_total_time="$seconds" \
  -rss_limit_mb=2048 \
  -max_len=65536 \
  -timeout=30 \
  -print_final_stats=1 \
  -artifact_prefix="$artifacts/"
echo "No findings in $seconds s"
