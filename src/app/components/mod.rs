//! Pieces the pages share.

pub mod dialog;
pub mod pager;
pub mod request_log;
pub mod status;
pub mod time;
