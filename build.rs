//! Links the `mlca` executable at a fixed address (not position-independent). A
//! position-independent executable of this size carries some 133,000 relative relocations that
//! the loader applies at every start, writing about 630 pages of pointer tables before `main`
//! runs: half of a short command's time. Fixed-address linking resolves them once, at link time.
//! Only the binaries' link changes: the library, the tests' code and the dependencies are built
//! as before.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
