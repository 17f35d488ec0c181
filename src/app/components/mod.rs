//! Pieces the pages share.

pub mod dialog;
pub mod pager;
pub mod status;
