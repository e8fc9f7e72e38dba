//! The read stage: a thread that opens each source in turn, streams its
//! items and prepares each record for storing (content hash, identity key,
//! stored form), handing them on in chunks.
//!
//! Must not touch: the archive and the index (it only prepares).

use crossbeam_channel::Receiver;
use tealeaf_archive::Prepared;
use tealeaf_read::{ByteCounter, Item, Source};

use crate::{PipelineError, Result};

/// Records sent at a time.
const CHUNK: usize = 512;

/// A read item with what storing it needs, computed on the reader thread.
pub(super) struct ReadyItem {
    pub(super) item: Item,
    pub(super) prep: Option<Prepared>,
}

impl From<Item> for ReadyItem {
    fn from(mut item: Item) -> Self {
        // A profiled site's url names its article for every input
        // (docs/html.md): captures of one url are versions of one article
        // whatever its title became.
        if let Item::Record(r) = &mut item {
            if r.id.is_none() {
                r.id = r.url.as_deref().and_then(tealeaf_html::url::article_id);
            }
        }
        let prep = match &item {
            Item::Record(r) if !r.is_gone() => Some(Prepared::of(r)),
            _ => None,
        };
        ReadyItem { item, prep }
    }
}

/// Starts the reader thread over `sources`, in order; its chunks come out
/// of the receiver, which closes when every source is read (or when the
/// receiving side hung up).
pub(super) fn spawn(
    sources: Vec<Box<dyn Source>>,
    counter: &ByteCounter,
) -> Result<(Receiver<Vec<ReadyItem>>, std::thread::JoinHandle<()>)> {
    let (tx, rx) = crossbeam_channel::bounded::<Vec<ReadyItem>>(8);
    let counter = counter.clone();
    let handle = std::thread::Builder::new()
        .name("tealeaf-read".into())
        .spawn(move || {
            for source in sources {
                let mut chunk = Vec::with_capacity(CHUNK);
                for item in source.items(&counter) {
                    chunk.push(ReadyItem::from(item));
                    if chunk.len() == CHUNK
                        && tx
                            .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                            .is_err()
                    {
                        return;
                    }
                }
                if !chunk.is_empty() && tx.send(chunk).is_err() {
                    return;
                }
            }
        })
        .map_err(|_| PipelineError::ReaderThread)?;
    Ok((rx, handle))
}
