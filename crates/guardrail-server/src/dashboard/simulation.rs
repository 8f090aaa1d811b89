//! The simulation form: what a level change would have done to the recorded runs.

use super::{PageError, Session};
use crate::api::AppState;

/// The simulation page's body.
pub(super) async fn page(
    _state: &AppState,
    _session: &Session,
    _params: &[(String, String)],
) -> Result<String, PageError> {
    Ok(String::new())
}
