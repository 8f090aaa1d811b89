//! A progress line on standard error for long runs: what the run is doing (loading which input,
//! evaluating how many resources, writing reports) and for how long, redrawn in place and
//! erased when the run ends. Only on a terminal, and only once a run has taken half a second,
//! so that quick runs and pipes never see it; `--progress always` forces it (for tests and for
//! terminals guardrail cannot recognise).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use clap::ValueEnum;

/// When to show the progress line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ProgressChoice {
    /// When standard error is a terminal, for runs longer than half a second.
    #[default]
    Auto,
    /// Always, from the start.
    Always,
    /// Never.
    Never,
}

/// How long a run goes before `auto` shows the line.
const DELAY: Duration = Duration::from_millis(500);
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(100);
const SPINNER: [char; 4] = ['|', '/', '-', '\\'];

struct Shared {
    text: Mutex<String>,
    stop: AtomicBool,
    drawn: AtomicBool,
}

/// The progress line; a no-op when disabled. Erased when finished or dropped.
pub struct Progress {
    shared: Option<Arc<Shared>>,
    forced: bool,
    started: Instant,
    thread: Option<JoinHandle<()>>,
}

fn draw(shared: &Shared, frame: usize, elapsed: Duration) {
    let text = shared.text.lock().map(|t| t.clone()).unwrap_or_default();
    let mut err = std::io::stderr().lock();
    let spinner = SPINNER.get(frame % SPINNER.len()).copied().unwrap_or('|');
    let _ = write!(
        err,
        "\r\x1b[K{spinner} {text} ({:.1}s)",
        elapsed.as_secs_f64()
    );
    let _ = err.flush();
    shared.drawn.store(true, Ordering::SeqCst);
}

impl Progress {
    /// Starts the line if `choice` and the terminal call for it.
    pub fn start(choice: ProgressChoice) -> Progress {
        let on = match choice {
            ProgressChoice::Always => true,
            ProgressChoice::Never => false,
            ProgressChoice::Auto => {
                std::io::stderr().is_terminal()
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        };
        if !on {
            return Progress {
                shared: None,
                forced: false,
                started: Instant::now(),
                thread: None,
            };
        }
        let forced = choice == ProgressChoice::Always;
        let shared = Arc::new(Shared {
            text: Mutex::new("starting".to_string()),
            stop: AtomicBool::new(false),
            drawn: AtomicBool::new(false),
        });
        let worker = Arc::clone(&shared);
        let delay = if forced { Duration::ZERO } else { DELAY };
        let thread = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                let start = Instant::now();
                let mut frame = 0;
                while !worker.stop.load(Ordering::SeqCst) {
                    let elapsed = start.elapsed();
                    if elapsed >= delay {
                        draw(&worker, frame, elapsed);
                        frame += 1;
                    }
                    std::thread::park_timeout(TICK);
                }
            })
            .ok();
        Progress {
            shared: Some(shared),
            forced,
            started: Instant::now(),
            thread,
        }
    }

    /// Says what the run is doing now (a forced line shows every step at once).
    pub fn set(&self, text: impl Into<String>) {
        if let Some(shared) = &self.shared {
            if let Ok(mut t) = shared.text.lock() {
                *t = text.into();
            }
            if self.forced {
                draw(shared, 0, self.started.elapsed());
            }
        }
    }

    /// Stops and erases the line (before the reports go to a terminal, or an error is printed).
    pub fn finish(&mut self) {
        let Some(shared) = self.shared.take() else {
            return;
        };
        shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
        // a forced line is drawn at least once, however quick the run
        if self.forced && !shared.drawn.load(Ordering::SeqCst) {
            draw(&shared, 0, Duration::ZERO);
        }
        if shared.drawn.load(Ordering::SeqCst) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
