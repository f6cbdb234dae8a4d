//! The semantic signal's store: product vectors as int8, with a one-bit first pass over many.

use std::collections::HashMap;

use uuid::Uuid;

/// Little-endian f32 bytes of a vector, as stored in `product_embeddings.vector`.
pub fn vector_to_bytes(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// The inverse of [`vector_to_bytes`]; `None` when the length is not a whole number of f32.
pub fn vector_from_bytes(bytes: &[u8]) -> Option<Vec<f32>> {
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    Some(
        bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    )
}

/// Product vectors as int8, each with its own scale, and (from [`TWO_STAGE_FROM`] vectors on)
/// a one-bit code per dimension for a first, cheap pass (see [`Vectors::nearest`]).
#[derive(Default)]
pub(super) struct Vectors {
    dims: usize,
    pub(super) ids: Vec<Uuid>,
    scales: Vec<f32>,
    data: Vec<i8>,
    slots: HashMap<Uuid, usize>,
    /// [`Vectors::words`] u64 per vector: bit d is set when dimension d is above `centre[d]`.
    /// Empty until [`Vectors::recode`] runs with enough vectors.
    codes: Vec<u64>,
    /// The mean vector the codes are taken around (e5's vectors all lean the same way; their
    /// signs alone would say little), and how many vectors it was the mean of.
    centre: Vec<f32>,
    centred_over: usize,
    /// Slots changed since the codes were last brought up to date.
    uncoded: Vec<usize>,
}

/// Below this many vectors, every search scans them all exactly.
const TWO_STAGE_FROM: usize = 4096;
/// How many candidates the first pass keeps for the exact second one, at least.
const SHORTLIST: usize = 1000;

fn quantize(vector: &[f32]) -> (f32, impl Iterator<Item = i8> + '_) {
    let largest = vector.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
    (
        scale,
        vector
            .iter()
            .map(move |x| (x / scale).round().clamp(-127.0, 127.0) as i8),
    )
}

impl Vectors {
    pub(super) fn upsert(&mut self, id: Uuid, vector: &[f32]) {
        if self.ids.is_empty() {
            self.dims = vector.len();
        }
        if vector.len() != self.dims {
            tracing::warn!(%id, dims = vector.len(), expected = self.dims, "embedding of the wrong size ignored");
            return;
        }
        let (scale, values) = quantize(vector);
        match self.slots.get(&id) {
            Some(&slot) => {
                self.uncoded.push(slot);
                self.scales[slot] = scale;
                let start = slot * self.dims;
                for (cell, value) in self.data[start..start + self.dims].iter_mut().zip(values) {
                    *cell = value;
                }
            }
            None => {
                self.uncoded.push(self.ids.len());
                self.slots.insert(id, self.ids.len());
                self.ids.push(id);
                self.scales.push(scale);
                self.data.extend(values);
            }
        }
    }

    /// u64 words per code: one bit per dimension.
    fn words(&self) -> usize {
        self.dims.div_ceil(64)
    }

    /// Brings the first-pass codes up to date after upserts: all of them, around a new
    /// centre, when the number of vectors moved by a quarter since the centre was taken
    /// (or first reaches [`TWO_STAGE_FROM`]); otherwise only the changed ones.
    pub(super) fn recode(&mut self) {
        let count = self.ids.len();
        if count < TWO_STAGE_FROM {
            self.codes.clear();
            self.centred_over = 0;
            self.uncoded.clear();
            return;
        }
        let drifted = count > self.centred_over + self.centred_over / 4
            || count < self.centred_over - self.centred_over / 4;
        if self.centred_over == 0 || drifted {
            let mut centre = vec![0f64; self.dims];
            for (slot, row) in self.data.chunks_exact(self.dims).enumerate() {
                let scale = f64::from(self.scales[slot]);
                for (sum, value) in centre.iter_mut().zip(row) {
                    *sum += f64::from(*value) * scale;
                }
            }
            self.centre = centre
                .iter()
                .map(|sum| (sum / count as f64) as f32)
                .collect();
            self.centred_over = count;
            self.codes = vec![0; count * self.words()];
            self.uncoded = (0..count).collect();
        }
        self.codes.resize(count * self.words(), 0);
        let mut uncoded = std::mem::take(&mut self.uncoded);
        uncoded.sort_unstable();
        uncoded.dedup();
        for slot in uncoded {
            let row = &self.data[slot * self.dims..(slot + 1) * self.dims];
            let scale = self.scales[slot];
            let values = row.iter().map(|v| f32::from(*v) * scale);
            let words = self.words();
            let code = code(values, &self.centre, words);
            self.codes[slot * words..(slot + 1) * words].copy_from_slice(&code);
        }
    }

    /// The slots worth scoring exactly: all of them, or (with codes) the [`SHORTLIST`] (at
    /// least `20 k`) whose codes differ least from the query's, ties included.
    fn shortlist(&self, query: &[f32], k: usize) -> Option<Vec<usize>> {
        let count = self.ids.len();
        if self.centred_over == 0 || self.codes.len() != count * self.words() {
            return None;
        }
        let wanted = SHORTLIST.max(k * 20);
        if wanted >= count {
            return None;
        }
        let query = code(query.iter().copied(), &self.centre, self.words());
        let distances: Vec<u16> = self
            .codes
            .chunks_exact(self.words())
            .map(|code| {
                code.iter()
                    .zip(&query)
                    .map(|(a, b)| (a ^ b).count_ones() as u16)
                    .sum()
            })
            .collect();
        let mut histogram = vec![0usize; self.words() * 64 + 1];
        for d in &distances {
            histogram[usize::from(*d)] += 1;
        }
        let mut within = 0;
        let mut threshold = histogram.len() - 1;
        for (distance, n) in histogram.iter().enumerate() {
            within += n;
            if within >= wanted {
                threshold = distance;
                break;
            }
        }
        let threshold = u16::try_from(threshold).unwrap_or(u16::MAX);
        Some(
            distances
                .iter()
                .enumerate()
                .filter(|(_, d)| **d <= threshold)
                .map(|(slot, _)| slot)
                .collect(),
        )
    }

    /// The `k` most similar vectors that pass `keep`, best first, with their cosines. Up to
    /// [`TWO_STAGE_FROM`] vectors every one is scored; above, a first pass over the one-bit
    /// codes (Hamming distance, a tenth of the memory to read) keeps a shortlist that the
    /// int8 vectors then rank exactly.
    pub(super) fn nearest(
        &self,
        query: &[f32],
        k: usize,
        keep: impl Fn(&Uuid) -> bool,
    ) -> Vec<(Uuid, f32)> {
        if self.dims == 0 || query.len() != self.dims {
            return Vec::new();
        }
        let shortlist = self.shortlist(query, k);
        let (query_scale, values) = quantize(query);
        let query: Vec<i8> = values.collect();
        let mut best: Vec<(f32, usize)> = Vec::with_capacity(k + 1);
        let slots: Box<dyn Iterator<Item = usize>> = match shortlist {
            Some(slots) => Box::new(slots.into_iter()),
            None => Box::new(0..self.ids.len()),
        };
        for slot in slots {
            let row = &self.data[slot * self.dims..(slot + 1) * self.dims];
            let dot = dot(row, &query);
            let score = dot as f32 * self.scales[slot] * query_scale;
            if best.len() == k && best.last().is_some_and(|(s, _)| *s >= score) {
                continue;
            }
            if !keep(&self.ids[slot]) {
                continue;
            }
            let at = best.partition_point(|(s, _)| *s >= score);
            best.insert(at, (score, slot));
            best.truncate(k);
        }
        best.into_iter()
            .map(|(s, slot)| (self.ids[slot], s))
            .collect()
    }
}

/// One bit per dimension: set when the value is above the centre's.
fn code(values: impl Iterator<Item = f32>, centre: &[f32], words: usize) -> Vec<u64> {
    let mut code = vec![0u64; words];
    for (d, (value, centre)) in values.zip(centre).enumerate() {
        if value > *centre {
            code[d / 64] |= 1 << (d % 64);
        }
    }
    code
}

/// The dot product of two int8 vectors, in 16-lane blocks the compiler turns into SIMD
/// multiply-adds (a plain iterator sum did not vectorise and took 5 ms per 100,000 vectors).
fn dot(a: &[i8], b: &[i8]) -> i32 {
    const LANES: usize = 16;
    let mut lanes = [0i32; LANES];
    let (a_blocks, b_blocks) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: i32 = a_blocks
        .remainder()
        .iter()
        .zip(b_blocks.remainder())
        .map(|(x, y)| i32::from(*x) * i32::from(*y))
        .sum();
    for (x, y) in a_blocks.zip(b_blocks) {
        for lane in 0..LANES {
            lanes[lane] += i32::from(x[lane]) * i32::from(y[lane]);
        }
    }
    lanes.iter().sum::<i32>() + tail
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blocked_dot_product_is_the_dot_product() {
        let a: Vec<i8> = (0..387).map(|i| ((i * 37) % 255 - 127) as i8).collect();
        let b: Vec<i8> = (0..387).map(|i| ((i * 91) % 255 - 127) as i8).collect();
        let plain: i32 = a
            .iter()
            .zip(&b)
            .map(|(x, y)| i32::from(*x) * i32::from(*y))
            .sum();
        assert_eq!(dot(&a, &b), plain);
    }

    #[test]
    fn vectors_round_trip_through_bytes() {
        let v = vec![0.25f32, -1.5, 3.0e-8];
        assert_eq!(vector_from_bytes(&vector_to_bytes(&v)), Some(v));
        assert_eq!(vector_from_bytes(&[1, 2, 3]), None);
    }

    /// The two-pass search over many vectors finds what the exact scan finds: clustered
    /// vectors that all lean one way, as e5's do.
    #[test]
    fn the_shortlist_keeps_the_exact_neighbours() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let dims = 384;
        let mut noise = |scale: f32| -> Vec<f32> {
            (0..dims)
                .map(|_| rng.gen_range(-1.0f32..1.0) * scale)
                .collect()
        };
        let normalized = |v: Vec<f32>| {
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.into_iter().map(|x| x / norm).collect::<Vec<f32>>()
        };
        let lean = noise(1.0);
        let clusters: Vec<Vec<f32>> = (0..400).map(|_| noise(0.6)).collect();
        let mut store = Vectors::default();
        let mut members = Vec::new();
        for i in 0..20_000 {
            let centre = &clusters[i % clusters.len()];
            let jitter = noise(0.25);
            let v: Vec<f32> = (0..dims).map(|d| lean[d] + centre[d] + jitter[d]).collect();
            let v = normalized(v);
            store.upsert(Uuid::from_u128(i as u128), &v);
            members.push(v);
        }
        store.recode();
        assert!(store.centred_over > 0, "codes built");
        let (mut found, mut wanted) = (0, 0);
        for i in (0..members.len()).step_by(400) {
            let jitter = noise(0.1);
            let query = normalized(members[i].iter().zip(&jitter).map(|(a, b)| a + b).collect());
            let two_pass = store.nearest(&query, 10, |_| true);
            let codes = std::mem::take(&mut store.codes);
            let exact = store.nearest(&query, 10, |_| true);
            store.codes = codes;
            wanted += exact.len();
            found += exact.iter().filter(|hit| two_pass.contains(hit)).count();
        }
        let recall = found as f64 / wanted as f64;
        assert!(recall >= 0.95, "recall@10 {recall}");
    }

    #[test]
    fn int8_nearest_ranks_like_f32_cosine() {
        let mut store = Vectors::default();
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let c = Uuid::now_v7();
        store.upsert(a, &[1.0, 0.0, 0.0]);
        store.upsert(b, &[0.6, 0.8, 0.0]);
        store.upsert(c, &[0.0, 0.0, 1.0]);
        let hits = store.nearest(&[0.8, 0.6, 0.0], 2, |_| true);
        assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), vec![b, a]);
        assert!((hits[0].1 - 0.96).abs() < 0.02, "{hits:?}");
        // Replacing a vector moves it.
        store.upsert(c, &[0.8, 0.6, 0.0]);
        assert_eq!(store.nearest(&[0.8, 0.6, 0.0], 1, |_| true)[0].0, c);
        assert_eq!(store.nearest(&[0.8, 0.6, 0.0], 1, |id| *id != c)[0].0, b);
    }
}
