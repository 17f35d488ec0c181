//! Locking a mutex that a panic may have poisoned. Each mutex in the server guards state that
//! every update leaves whole (a map, a log entry in the making), so a panic elsewhere while it
//! was held cannot have broken it: the lock is taken as it stands rather than failing forever.

use std::sync::{Mutex, MutexGuard, PoisonError};

pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
