//! `Store::default_path`: the XDG rule (its own test binary, since it sets variables).

use std::path::PathBuf;

use venturelab_store::{Store, StoreError};

#[test]
fn the_default_path_follows_xdg() {
    // The only test of this binary: nothing else reads the environment meanwhile.
    let old = (std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"));
    // SAFETY: this binary runs no other test, so no thread reads the environment.
    unsafe {
        std::env::set_var("XDG_DATA_HOME", "/data/x");
        std::env::set_var("HOME", "/home/u");
    }
    assert_eq!(
        Store::default_path().unwrap(),
        PathBuf::from("/data/x/venturelab/runs.sqlite")
    );
    unsafe { std::env::set_var("XDG_DATA_HOME", "relative/ignored") };
    assert_eq!(
        Store::default_path().unwrap(),
        PathBuf::from("/home/u/.local/share/venturelab/runs.sqlite")
    );
    unsafe {
        std::env::remove_var("XDG_DATA_HOME");
        std::env::remove_var("HOME");
    }
    assert!(matches!(Store::default_path(), Err(StoreError::Io { .. })));
    unsafe {
        match old.0 {
            Some(v) => std::env::set_var("XDG_DATA_HOME", v),
            None => std::env::remove_var("XDG_DATA_HOME"),
        }
        match old.1 {
            Some(v) => std::env::set_var("HOME", v),
            None => std::env::remove_var("HOME"),
        }
    }
}
