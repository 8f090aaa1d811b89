//! The memory limit of Rego policies.
//!
//! regorus, built with its own mimalloc (the process's global allocator, installed by this
//! crate), counts the bytes the process has live and checks them against a ceiling between
//! evaluation steps (every few steps, and at once after a burst of allocation). A policy whose
//! evaluation pushes the process past the ceiling is stopped with an error outcome; the rest of
//! the run goes on. One call can still ask for more than that at once: the builtins that can are
//! size-checked in [`crate::limits`].
//!
//! The ceiling is what guardrail itself held when the first policy of the process started (the
//! loaded plan, the packs) plus the budget ([`crate::LoadOptions::max_memory`]), so a large plan
//! does not eat the policies' budget. The ceiling is process-wide: when it is reached, every
//! policy evaluating at that moment may be stopped, not only the one that allocated most.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The default of [`crate::LoadOptions::max_memory`]: 4 GiB.
pub const DEFAULT_MAX_MEMORY: u64 = 4 << 30;

/// The budget most recently asked for (`u64::MAX`: none asked for yet).
static BUDGET: AtomicU64 = AtomicU64::new(u64::MAX);

/// The live bytes of the process when the first policy started.
static BASELINE: OnceLock<u64> = OnceLock::new();

/// Bytes the process holds now, as the allocator counts them.
pub fn live_bytes() -> u64 {
    // the allocator flushes this thread's count into the process total while it is asked
    regorus_mimalloc::global_allocation_stats_snapshot().allocated
}

/// Sets the budget that [`arm`] enforces (called when packs are loaded).
pub(crate) fn set_budget(bytes: u64) {
    BUDGET.store(bytes.max(1), Ordering::Relaxed);
}

/// The budget most recently asked for, [`DEFAULT_MAX_MEMORY`] before any.
pub(crate) fn budget() -> u64 {
    match BUDGET.load(Ordering::Relaxed) {
        u64::MAX => DEFAULT_MAX_MEMORY,
        set => set,
    }
}

/// Sets the process's ceiling before a policy evaluates: the live bytes at the first call plus
/// the budget.
pub(crate) fn arm() {
    let budget = BUDGET.load(Ordering::Relaxed);
    if budget == u64::MAX {
        return;
    }
    let baseline = *BASELINE.get_or_init(live_bytes);
    let ceiling = baseline.saturating_add(budget);
    if regorus::global_memory_limit() != Some(ceiling) {
        regorus::set_global_memory_limit(Some(ceiling));
    }
}

/// Whether an evaluation error is regorus stopping a policy at the memory ceiling.
pub(crate) fn is_exceeded(text: &str) -> bool {
    text.contains("exceeded memory limit")
}
