//! The archive's write side: everything [`crate::ArchiveWriter`] stores.
//! Each module owns one kind of row; the decisions they follow are in
//! [`crate::decide`].

pub(crate) mod capture;
pub(crate) mod changes;
pub(crate) mod forget;
pub(crate) mod known;
mod listings;
mod removals;
pub(crate) mod runs;
