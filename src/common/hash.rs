//! Stable hashes: fingerprints of a run's inputs and of derived parts, compared across the runs
//! of one process.

use std::hash::{BuildHasher, Hash, Hasher};

/// A hasher with fixed keys, for fingerprints compared across runs.
pub(crate) fn stable_hasher() -> ahash::AHasher {
    ahash::RandomState::with_seeds(0x6d65_6461, 0x746c_6173, 0x7061_6765, 0x7331_2e30)
        .build_hasher()
}

/// A stable hash of one value.
pub(crate) fn stable_hash(value: &(impl Hash + ?Sized)) -> u64 {
    let mut hasher = stable_hasher();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A cache of parts by the fingerprint of what each is made from.
pub(crate) type PartCache<V> = ahash::AHashMap<u64, V>;

/// Drop the parts of `cache` whose key is not in `keys` (distinct keys, every one in `cache`):
/// a cache holding exactly `keys` is left as it is without a look-up.
pub(crate) fn keep_only<V>(cache: &mut PartCache<V>, keys: &[u64]) {
    if cache.len() > keys.len() {
        let wanted: ahash::AHashSet<u64> = keys.iter().copied().collect();
        cache.retain(|key, _| wanted.contains(key));
    }
}
