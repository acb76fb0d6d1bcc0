//! Putting a run's files in place whole or not at all.
//!
//! Every file of a run is first written into a private staging folder beside the target
//! folder (same file system, so renames are atomic). Then:
//! - a target folder that does not exist yet is the staging folder renamed into place in one
//!   step, refusing to replace a folder another run created meanwhile (`renameat2` with
//!   `RENAME_NOREPLACE`);
//! - into a folder that exists, the files move one by one under an exclusive lock on the
//!   folder (`flock`, released by the kernel if the process dies), so two runs never
//!   interleave; without `--force` a file is never replaced, even in a race (each move
//!   refuses an existing name), and a failure part-way moves back what was moved, restoring
//!   the files `--force` had replaced.
//!
//! SIGINT and SIGTERM are watched by a thread: before any file is staged they end the
//! process at once (nothing to clean up); while files are staged or moved they set a flag
//! that makes the writer stop, remove its staging folder and report the interruption.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::error::{CliError, CliResult};

/// Set by SIGINT/SIGTERM while files are being written.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// Whether files are being written (guards the choice between exiting and flagging).
static WRITING: Mutex<bool> = Mutex::new(false);

/// The exit code of a run stopped by a signal (128 + SIGINT, as shells report it).
pub const INTERRUPTED_EXIT: u8 = 130;

/// Starts the thread that turns SIGINT and SIGTERM into a clean stop.
pub fn watch_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        for _ in signals.forever() {
            let writing = WRITING.lock().unwrap_or_else(|e| e.into_inner());
            if !*writing {
                // Nothing staged: stop now. Holding the lock keeps a writer from starting.
                eprintln!("interrupted");
                std::process::exit(INTERRUPTED_EXIT as i32);
            }
            INTERRUPTED.store(true, Ordering::SeqCst);
        }
    });
}

/// Whether a signal asked the run to stop.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Marks the writing phase; the signal thread flags instead of exiting while it lasts.
struct WritingPhase;

impl WritingPhase {
    fn begin() -> WritingPhase {
        *WRITING.lock().unwrap_or_else(|e| e.into_inner()) = true;
        WritingPhase
    }
}

impl Drop for WritingPhase {
    fn drop(&mut self) {
        *WRITING.lock().unwrap_or_else(|e| e.into_inner()) = false;
    }
}

/// An I/O error while writing what `--out` (or `--plot`) names. A place the user cannot
/// write to is theirs to fix, not a bug (exit 2, naming the path): no permission, a
/// read-only or full file system, a folder that cannot be reached or created (a file in
/// the way). Anything else is an internal failure (exit 1).
pub(crate) fn io_error(what: &str, path: &Path, e: std::io::Error) -> CliError {
    use std::io::ErrorKind::*;
    match e.kind() {
        PermissionDenied | ReadOnlyFilesystem | NotFound | NotADirectory | IsADirectory
        | AlreadyExists | StorageFull | QuotaExceeded | FileTooLarge | InvalidFilename => {
            let hint = match e.kind() {
                NotADirectory | AlreadyExists if path.is_file() || has_file_ancestor(path) => {
                    " (a file is where a folder should be; choose another output folder)"
                }
                NotFound => " (the folder cannot be created there; choose another output folder)",
                StorageFull | QuotaExceeded | FileTooLarge => {
                    " (free some space, or choose another output folder)"
                }
                _ => " (choose an output folder you can write to)",
            };
            CliError::input(format!("{}: cannot {what}: {e}{hint}", path.display()))
        }
        _ => CliError::Internal(format!("cannot {what} {}: {e}", path.display())),
    }
}

/// Whether some folder on the way to `path` is a file.
fn has_file_ancestor(path: &Path) -> bool {
    path.ancestors().skip(1).any(|a| a.is_file())
}

fn stopped() -> CliResult<()> {
    if interrupted() {
        return Err(CliError::Interrupted);
    }
    Ok(())
}

/// A staging folder, removed with what it holds unless it was moved into place.
struct Staging {
    path: PathBuf,
    keep: bool,
}

impl Staging {
    fn new(beside: &Path) -> CliResult<Staging> {
        let parent = beside
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = beside
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "out".into());
        fs::create_dir_all(parent).map_err(|e| io_error("create", parent, e))?;
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.venturelab-staging-"))
            .tempdir_in(parent)
            .map_err(|e| io_error("create a staging folder in", parent, e))?;
        Ok(Staging {
            path: dir.keep(),
            keep: false,
        })
    }

    /// Writes one file into the staging folder and flushes it to disk.
    fn write(&self, name: &str, contents: &[u8]) -> CliResult<()> {
        stopped()?;
        let path = self.path.join(name);
        let fail = |e| io_error("write", &path, e);
        let mut f = fs::File::create(&path).map_err(fail)?;
        f.write_all(contents).map_err(fail)?;
        // Shared output, not private: the umask decides, as for any file the user writes.
        f.sync_all().map_err(fail)?;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Renames `from` to `to`, failing if `to` exists (atomically on Linux).
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| {
            CString::new(p.as_os_str().as_bytes())
                .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))
        };
        let (f, t) = (c(from)?, c(to)?);
        // SAFETY: both are valid NUL-terminated paths; renameat2 only reads them.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                f.as_ptr(),
                libc::AT_FDCWD,
                t.as_ptr(),
                libc::RENAME_NOREPLACE,
            )
        };
        if r == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        if to.exists() {
            return Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists));
        }
        fs::rename(from, to)
    }
}

/// Test hook: `VENTURELAB_FAIL_MOVE=NAME` makes the move of the file NAME fail, so that
/// the tests can check that a failure part-way leaves the folder as it was.
fn fail_for_test(name: &str) -> std::io::Result<()> {
    match std::env::var_os("VENTURELAB_FAIL_MOVE") {
        Some(n) if n == name => Err(std::io::Error::other("failure injected for a test")),
        _ => Ok(()),
    }
}

/// An exclusive lock on a folder, held until dropped (or the process ends).
struct FolderLock(#[allow(dead_code)] fs::File);

impl FolderLock {
    fn take(dir: &Path) -> CliResult<FolderLock> {
        let f = fs::File::open(dir).map_err(|e| io_error("open", dir, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            // SAFETY: a valid open descriptor; flock has no memory effects.
            if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                return Err(CliError::input(format!(
                    "{}: another venturelab run is writing into this folder; try again when it is done",
                    dir.display()
                )));
            }
        }
        Ok(FolderLock(f))
    }
}

fn exists_error(path: &Path) -> CliError {
    CliError::input(format!(
        "{}: already exists; pass --force to overwrite it",
        path.display()
    ))
}

/// Puts `files` (name, contents) into `dir` whole or not at all (see the module doc).
pub fn publish(dir: &Path, files: &[(String, Vec<u8>)], force: bool) -> CliResult<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::input(format!(
            "--out {}: exists and is not a directory",
            dir.display()
        )));
    }
    if !force {
        if let Some((name, _)) = files.iter().find(|(n, _)| dir.join(n).exists()) {
            return Err(exists_error(&dir.join(name)));
        }
    }
    let _phase = WritingPhase::begin();
    let mut staging = Staging::new(dir)?;
    for (name, contents) in files {
        staging.write(name, contents)?;
    }
    stopped()?;
    // A new folder: one rename, refused if another run made the folder meanwhile.
    if !dir.exists() {
        match rename_no_replace(&staging.path, dir) {
            Ok(()) => {
                staging.keep = true;
                return Ok(());
            }
            Err(e) if matches!(e.raw_os_error(), Some(libc::EEXIST) | Some(libc::ENOTEMPTY)) => {}
            Err(e) => return Err(io_error("move the results to", dir, e)),
        }
    }
    let _lock = FolderLock::take(dir)?;
    move_files(&staging.path, dir, files, force)
}

/// Moves the staged files into an existing `dir`, undoing every move if one fails.
fn move_files(
    staging: &Path,
    dir: &Path,
    files: &[(String, Vec<u8>)],
    force: bool,
) -> CliResult<()> {
    // With --force, files this run replaces are kept aside until every move has worked.
    let aside = staging.join(".replaced");
    fs::create_dir(&aside).map_err(|e| io_error("create", &aside, e))?;
    let mut moved: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let result = (|| {
        for (name, _) in files {
            stopped()?;
            let (from, to) = (staging.join(name), dir.join(name));
            let mut old = None;
            if force && (to.exists() || to.is_symlink()) {
                let keep = aside.join(name);
                fs::rename(&to, &keep).map_err(|e| io_error("replace", &to, e))?;
                old = Some(keep);
            }
            match fail_for_test(name).and_then(|()| rename_no_replace(&from, &to)) {
                Ok(()) => moved.push((to, old)),
                Err(e) => {
                    if let Some(keep) = old {
                        let _ = fs::rename(keep, &to);
                    }
                    return Err(if e.kind() == std::io::ErrorKind::AlreadyExists {
                        exists_error(&to)
                    } else {
                        io_error("write", &to, e)
                    });
                }
            }
        }
        Ok(())
    })();
    if result.is_err() {
        for (to, old) in moved.into_iter().rev() {
            let _ = fs::remove_file(&to);
            if let Some(keep) = old {
                let _ = fs::rename(keep, &to);
            }
        }
    }
    result
}
