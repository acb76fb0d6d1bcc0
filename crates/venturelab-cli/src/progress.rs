//! Progress bars on stderr, drawn only when stderr is a terminal (never in pipes, CI or
//! `--json` runs captured by scripts): the CLI's [`Observer`].

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use venturelab_app::Observer;

/// An indicatif bar or spinner, created when a request starts its work.
#[derive(Default)]
pub struct Bar {
    bar: Mutex<Option<ProgressBar>>,
}

impl Bar {
    /// A bar that draws when stderr is a terminal.
    pub fn new() -> Self {
        Bar::default()
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

fn interactive() -> bool {
    std::io::stderr().is_terminal()
}

impl Observer for Bar {
    fn start(&self, total: u64, unit: &str) {
        if !interactive() {
            return;
        }
        let pb = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template(
            "{msg:>12} [{bar:40}] {pos}/{len} {elapsed_precise} eta {eta}",
        ) {
            pb.set_style(style.progress_chars("=> "));
        }
        pb.set_message(unit.to_string());
        self.set(pb);
    }

    fn spinner(&self, what: &str) {
        if !interactive() {
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

    fn advance(&self, n: u64) {
        self.with(|b| b.inc(n));
    }

    fn grow(&self, total: u64, message: &str) {
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
