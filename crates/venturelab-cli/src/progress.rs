//! Progress on stderr, never on stdout: the CLI's [`Observer`]. When stderr is a terminal,
//! an indicatif bar or spinner; when it is not (a pipe, a log file, CI), a plain line every
//! [`PIPED_EVERY`] while the work lasts, so a long command run from a script still says
//! that it is alive and how far it is, and a short one prints nothing.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use venturelab_app::Observer;

/// How often a piped run prints its progress line (none before the first interval), unless
/// the environment variable `VENTURELAB_PROGRESS_SECS` sets another interval in seconds.
pub const PIPED_EVERY: Duration = Duration::from_secs(5);

fn piped_every() -> Duration {
    std::env::var("VENTURELAB_PROGRESS_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e6)
        .map(Duration::from_secs_f64)
        .unwrap_or(PIPED_EVERY)
}

/// An indicatif bar or spinner on a terminal, progress lines otherwise.
pub struct Bar {
    bar: Mutex<Option<ProgressBar>>,
    piped: Option<Arc<Piped>>,
}

impl Default for Bar {
    fn default() -> Self {
        Bar::new()
    }
}

/// What a piped run's progress line shows, updated by the work and read by a ticker thread.
#[derive(Default)]
struct Piped {
    /// The unit or the stage's name.
    what: Mutex<String>,
    pos: AtomicU64,
    /// 0 for work of unknown length.
    total: AtomicU64,
    /// Set when the command's bar is dropped: the ticker stops.
    done: AtomicBool,
    ticker: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Piped {
    fn set_what(&self, what: &str) {
        if let Ok(mut w) = self.what.lock() {
            *w = what.to_string();
        }
    }

    /// The line printed every [`PIPED_EVERY`]: `report: market model 5/6 sections, 12 s`.
    fn line(&self, elapsed: Duration) -> String {
        let what = self.what.lock().map(|w| w.clone()).unwrap_or_default();
        let (pos, total) = (
            self.pos.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        );
        let count = if total > 0 {
            format!(" {pos}/{total}")
        } else {
            String::new()
        };
        format!(
            "venturelab: working: {what}{count}, {} s",
            elapsed.as_secs()
        )
    }

    /// Starts the ticker thread once, at the first piece of work.
    fn ensure_ticker(self: &Arc<Self>) {
        let Ok(mut t) = self.ticker.lock() else {
            return;
        };
        if t.is_some() {
            return;
        }
        let me = Arc::clone(self);
        *t = Some(std::thread::spawn(move || {
            let start = Instant::now();
            let every = piped_every();
            let mut next = every;
            // Parked until the next line is due; the bar's drop unparks it to stop at once
            // (a command that is done must not wait for the ticker).
            while !me.done.load(Ordering::Relaxed) {
                let elapsed = start.elapsed();
                if elapsed >= next {
                    let _ = writeln!(std::io::stderr(), "{}", me.line(elapsed));
                    next += every;
                } else {
                    std::thread::park_timeout(next - elapsed);
                }
            }
        }));
    }
}

impl Bar {
    /// A bar when stderr is a terminal, progress lines when it is not.
    pub fn new() -> Self {
        Bar {
            bar: Mutex::new(None),
            piped: (!std::io::stderr().is_terminal()).then(|| Arc::new(Piped::default())),
        }
    }

    fn with(&self, f: impl FnOnce(&ProgressBar)) {
        if let Ok(b) = self.bar.lock() {
            if let Some(b) = b.as_ref() {
                f(b)
            }
        }
    }

    fn set(&self, pb: ProgressBar) {
        if let Ok(mut b) = self.bar.lock() {
            if let Some(old) = b.replace(pb) {
                old.finish_and_clear();
            }
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(p) = &self.piped {
            p.done.store(true, Ordering::Relaxed);
            if let Some(t) = p.ticker.lock().ok().and_then(|mut t| t.take()) {
                t.thread().unpark();
                let _ = t.join();
            }
        }
    }
}

impl Observer for Bar {
    fn start(&self, total: u64, unit: &str) {
        if let Some(p) = &self.piped {
            p.set_what(unit);
            p.pos.store(0, Ordering::Relaxed);
            p.total.store(total, Ordering::Relaxed);
            p.ensure_ticker();
            return;
        }
        let pb = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template(
            "{msg:>16} [{bar:40}] {pos}/{len} {elapsed_precise} eta {eta}",
        ) {
            pb.set_style(style.progress_chars("=> "));
        }
        pb.set_message(unit.to_string());
        self.set(pb);
    }

    fn spinner(&self, what: &str) {
        if let Some(p) = &self.piped {
            p.set_what(what);
            p.total.store(0, Ordering::Relaxed);
            p.ensure_ticker();
            return;
        }
        let pb = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed_precise}") {
            pb.set_style(style);
        }
        pb.set_message(what.to_string());
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        self.set(pb);
    }

    fn stage(&self, name: &str) {
        if let Some(p) = &self.piped {
            p.set_what(name);
        }
        self.with(|b| b.set_message(name.to_string()));
    }

    fn advance(&self, n: u64) {
        if let Some(p) = &self.piped {
            p.pos.fetch_add(n, Ordering::Relaxed);
        }
        self.with(|b| b.inc(n));
    }

    fn grow(&self, total: u64, message: &str) {
        if let Some(p) = &self.piped {
            p.total.store(total, Ordering::Relaxed);
            p.set_what(message);
        }
        self.with(|b| {
            b.set_length(total);
            b.set_message(message.to_string());
        });
    }

    fn finish(&self) {
        if let Ok(mut b) = self.bar.lock() {
            if let Some(b) = b.take() {
                b.finish_and_clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_piped_line_names_the_stage_and_the_count() {
        let p = Piped::default();
        p.set_what("market model");
        p.total.store(6, Ordering::Relaxed);
        p.pos.store(5, Ordering::Relaxed);
        assert_eq!(
            p.line(Duration::from_millis(12_400)),
            "venturelab: working: market model 5/6, 12 s"
        );
        p.total.store(0, Ordering::Relaxed);
        p.set_what("solving");
        assert_eq!(
            p.line(Duration::from_secs(5)),
            "venturelab: working: solving, 5 s"
        );
    }
}
