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
        // The version in one place: the workspace's, also the library's `exemplar_version()`.
        .with_after_include(format!("\n#define EXEMPLAR_VERSION \"{}\"", env!("CARGO_PKG_VERSION")))
        .generate()
        .unwrap_or_else(|e| fail(&e.to_string()));
    let mut raw = Vec::new();
    bindings.write(&mut raw);
    let text = c89(&String::from_utf8(raw).unwrap_or_else(|e| fail(&e.to_string()))).into_bytes();
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

/// The header as C89 accepts it (`-std=c89 -pedantic`): cbindgen's `// …` comments after
/// `#endif` and `}` become `/* … */`, and the last enumerator loses its trailing comma.
fn c89(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        let directive = line.starts_with("#endif") || line.starts_with('}');
        let line = match line.split_once("//").filter(|_| directive) {
            Some((code, comment)) => format!("{code}/* {} */", comment.trim()),
            None => line.to_string(),
        };
        let last_enumerator = line.ends_with(',') && lines.get(i + 1).is_some_and(|n| n.trim() == "};");
        out.push_str(if last_enumerator { &line[..line.len() - 1] } else { &line });
        out.push('\n');
    }
    out
}

fn fail(msg: &str) -> ! {
    eprintln!("exemplar-c-header: {msg}");
    std::process::exit(1)
}
