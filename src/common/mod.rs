//! Shared helpers used by every stage: errors with their causes, the text of a source file,
//! slugs, label spellings, stable hashes, HTML escaping, number formatting, the paths of output
//! pages and path safety.

pub(crate) mod error;
pub mod fault;
pub(crate) mod guard;
pub(crate) mod hash;
pub(crate) mod html;
pub(crate) mod label;
pub(crate) mod number;
pub(crate) mod paths;
pub(crate) mod slug;
pub mod source;
