//! Writes `include/exemplar.h` from `bindings/c` with the pinned cbindgen, or with `--check`
//! fails when the committed header differs from what would be written.
//! `cargo run -p exemplar-c-header -- include/exemplar.h [--check]`

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..").canonicalize().unwrap_or_else(|e| fail(&e.to_string()));
    let target =
        args.iter().find(|a| !a.starts_with("--")).map_or_else(|| root.join("include/exemplar.h"), |p| p.into());
    let crate_dir = root.join("bindings/c");
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap_or_else(|e| fail(&e.to_string()));
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .unwrap_or_else(|e| fail(&e.to_string()));
    let mut text = Vec::new();
    bindings.write(&mut text);
    if check {
        let committed = std::fs::read(&target).unwrap_or_default();
        if committed != text {
            fail(&format!("{} is not current: run `cargo run -p exemplar-c-header` and commit it", target.display()));
        }
        println!("{} is current", target.display());
    } else {
        std::fs::write(&target, text).unwrap_or_else(|e| fail(&e.to_string()));
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("exemplar-c-header: {msg}");
    std::process::exit(1)
}
