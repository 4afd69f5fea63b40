//! The tools around the pipeline: the development server ([`serve`]), the check of external
//! links ([`external`], `check --external`) and new entries ([`scaffold`], `new`).

pub mod external;
pub mod scaffold;
pub mod serve;
