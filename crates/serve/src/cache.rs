//! Pages kept until the archive changes: the home page and recent search
//! pages are computed once per *generation* (the archive's commits as seen
//! by one watching connection, and the index's reloads), not per request.
//!
//! Owns: the bounded maps from a page's canonical address to its data.
//! Must not touch: how pages are computed or rendered (handlers pass a
//! closure), nor anything that writes.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;

/// What the data of a page was computed from; a cached page is served
/// only while the generation is unchanged.
pub type Generation = (i64, u64);

/// At most `capacity` pages, least recently used dropped first.
pub struct PageCache<V> {
    pages: Mutex<LruCache<String, (Generation, Arc<V>)>>,
}

impl<V> PageCache<V> {
    pub fn new(capacity: usize) -> Self {
        PageCache {
            pages: Mutex::new(LruCache::new(
                NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }

    /// The page at `key` if it was computed in `generation`.
    pub fn get(&self, key: &str, generation: Generation) -> Option<Arc<V>> {
        let mut pages = self.pages.lock().ok()?;
        match pages.get(key) {
            Some((g, v)) if *g == generation => Some(Arc::clone(v)),
            _ => None,
        }
    }

    pub fn put(&self, key: String, generation: Generation, value: Arc<V>) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.put(key, (generation, value));
        }
    }
}
