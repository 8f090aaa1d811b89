//! The overview's metrics section: charts and tiles from the store's metrics.

use super::PageError;
use crate::api::AppState;

/// The metrics section of the overview.
pub(super) async fn section(
    _state: &AppState,
    _org_id: i64,
    _params: &[(String, String)],
) -> Result<String, PageError> {
    Ok(String::new())
}
