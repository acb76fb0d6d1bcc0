//! The same check as the library's build script (its doc says why): the CLI's fit tests
//! that read ../shared/data are ignored, with the reason, when it is absent.
include!("../venturelab/build.rs");
