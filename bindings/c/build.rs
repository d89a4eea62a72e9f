//! Gives the shared library its versioned name (SONAME libexemplar.so.MAJOR) on Linux.

fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libexemplar.so.{major}");
    }
}
