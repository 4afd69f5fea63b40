//! Shared helpers used by every stage: errors with their causes, the text of a source file,
//! slugs, HTML escaping, number formatting, the paths of output pages and path safety.

pub mod error;
pub mod fault;
pub mod guard;
pub mod html;
pub mod number;
pub mod paths;
pub mod slug;
pub mod source;
