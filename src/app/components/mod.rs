//! Pieces the pages share.

pub mod pager;
pub mod status;
