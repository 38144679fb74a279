#![allow(dead_code)]
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn mlca() -> Command {
    let mut c = Command::cargo_bin("mlca").expect("the mlca binary is built for tests");
    c.current_dir(root());
    c
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Out {
    let o = mlca().args(args).output().expect("mlca runs");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

pub fn json(args: &[&str]) -> Value {
    let o = run(args);
    assert_eq!(o.code, 0, "mlca {args:?} failed: {}", o.stderr);
    serde_json::from_str(&o.stdout).expect("valid JSON")
}

pub fn assess_json(path: &str) -> Value {
    json(&["assess", path, "--format", "json"])
}

pub fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// |got - want| <= rel x |want|
pub fn close(got: f64, want: f64, rel: f64, what: &str) {
    let err = if want == 0.0 {
        got.abs()
    } else {
        ((got - want) / want).abs()
    };
    assert!(
        err <= rel,
        "{what}: got {got}, want {want} (relative error {err:.3e} > {rel})"
    );
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("fixture written");
    p
}
