// Sets the cfg `no_reference_data` when the reference data sets of the heavy-tail tests
// (`../shared/data/powerlaw`, beside the repository) are absent, so that those tests are
// reported as ignored, with the reason, instead of passing without checking anything.

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/powerlaw");
    let marker = dir.join("words.txt");
    println!("cargo::rustc-check-cfg=cfg(no_reference_data)");
    // Watched so that the cfg follows the data arriving or going (a missing path makes
    // cargo rerun this script on every build, which is cheap).
    println!("cargo::rerun-if-changed={}", marker.display());
    println!("cargo::rerun-if-changed=build.rs");
    if !marker.is_file() {
        println!("cargo::rustc-cfg=no_reference_data");
    }
}
