//! Log set-up: human-readable in development, JSON in production. Every
//! line of a request carries its `request_id` through the request span.
//!
//! Lines are handed to a writer thread (`tracing-appender`), so a worker
//! serving requests formats its line and goes on instead of waiting for
//! stderr; when the buffer is full it waits (nothing is dropped).

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::{fmt, EnvFilter};

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber. `RUST_LOG` overrides `log.level`.
/// Keep the returned guard until the process ends: dropping it writes out
/// what is buffered. Calling it twice is harmless (the second call
/// installs nothing).
pub fn init(settings: &LogSettings) -> WorkerGuard {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    let builder = fmt().with_env_filter(filter).with_writer(writer);
    let _ = match settings.format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    guard
}
