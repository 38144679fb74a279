#![allow(dead_code)]
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the repository root. The environment that reaches clap's help and
/// error output is pinned (width 100, no colour) so that the snapshots are the same in any
/// terminal.
pub fn mlca() -> Command {
    let mut c = Command::cargo_bin("mlca").expect("the mlca binary is built for tests");
    c.current_dir(root())
        .env("COLUMNS", "100")
        .env_remove("LINES")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    c
}

pub struct Out {
    /// The command line, for the snapshot's description.
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Out {
    let o = mlca().args(args).output().expect("mlca runs");
    Out {
        args: args.iter().map(|a| a.to_string()).collect(),
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

// ---- exact snapshots (insta) ----
//
// Every snapshot file holds one run: stdout, stderr and the exit code. insta trims the trailing
// whitespace of a snapshot, so each stream's trailing whitespace is written out after its text,
// and a lost or added final newline fails too. Review a change with `cargo insta review`, or
// accept every change with `INSTA_UPDATE=always cargo test` (after reading the diffs).

/// One stream of a run, exact: its text, then how it ends.
fn section(out: &mut String, name: &str, text: &str) {
    if text.is_empty() {
        out.push_str(&format!("----- {name}: empty -----\n"));
        return;
    }
    let body = text.trim_end();
    out.push_str(&format!("----- {name} -----\n{body}\n"));
    out.push_str(&format!(
        "----- end of {name}, then {:?} -----\n",
        &text[body.len()..]
    ));
}

/// A run as snapshotted: stdout, stderr, exit code.
pub fn render(o: &Out) -> String {
    let mut s = String::new();
    section(&mut s, "stdout", &o.stdout);
    section(&mut s, "stderr", &o.stderr);
    s.push_str(&format!("exit code: {}\n", o.code));
    s
}

/// A file's content as snapshotted.
pub fn render_file(name: &str, text: &str) -> String {
    let mut s = String::new();
    section(&mut s, &format!("file {name}"), text);
    s
}

/// Temporary directories become `[TMP]`, the repository root `[ROOT]`.
pub fn scrub(text: &str, tmp: &[&Path]) -> String {
    let mut s = text.to_string();
    for d in tmp {
        for p in [Some(d.to_path_buf()), std::fs::canonicalize(d).ok()]
            .into_iter()
            .flatten()
        {
            let p = p.display().to_string();
            if !p.is_empty() {
                s = s.replace(&p, "[TMP]");
            }
        }
    }
    let r = root().display().to_string();
    s.replace(&r, "[ROOT]")
}

/// A command line as one shell-like line.
pub fn command_line(args: &[String]) -> String {
    let mut s = String::from("mlca");
    for a in args {
        s.push(' ');
        if !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=,:+*".contains(c))
        {
            s.push_str(a);
        } else {
            s.push_str(&format!("{a:?}"));
        }
    }
    s
}

/// Assert the exact snapshot `tests/cli/snapshots/NAME.snap` of `text`; `what` describes it in
/// the file's header. A temporary path left in the text (one insta's filter recognises by its
/// `.tmpXXXXXX` directory) becomes `[TMP]` too.
pub fn snap_text(name: &str, what: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(what);
    settings.add_filter(
        r"(?:[A-Za-z]:)?[^\s:'\x22()\[\]]*[/\\]\.?tmp[0-9A-Za-z]{6}",
        "[TMP]",
    );
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// Snapshot a run under NAME: stdout, stderr and exit code, paths scrubbed.
pub fn snap(name: &str, o: &Out, tmp: &[&Path]) {
    snap_text(
        name,
        &scrub(&command_line(&o.args), tmp),
        &scrub(&render(o), tmp),
    );
}

/// Run `mlca ARGS` and snapshot it under NAME.
pub fn snap_run(name: &str, args: &[&str]) -> Out {
    let o = run(args);
    snap(name, &o, &[]);
    o
}

/// A check that snapshots something.
pub type Case = (String, Box<dyn FnOnce()>);

/// Run each case, catching a failure so that every snapshot is compared (and every `.snap.new`
/// written) before the test fails with the list of the differing ones.
pub fn each_case(cases: Vec<Case>) {
    assert!(!cases.is_empty(), "no case");
    let n = cases.len();
    let mut failed = Vec::new();
    for (name, f) in cases {
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err() {
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {n} snapshot case(s) failed: {failed:#?}",
        failed.len()
    );
}

/// Snapshot `mlca ARGS` for each (NAME, ARGS).
pub fn snap_runs(cases: Vec<(String, Vec<String>)>) {
    each_case(
        cases
            .into_iter()
            .map(|(name, args)| -> Case {
                (
                    name.clone(),
                    Box::new(move || {
                        let a: Vec<&str> = args.iter().map(String::as_str).collect();
                        snap_run(&name, &a);
                    }),
                )
            })
            .collect(),
    );
}

/// A valid scenario (8 x A100, 100 kWh declared, France) that bad-input tests break one line at a
/// time.
pub const GOOD: &str = "\
functional_unit:
  name: fixture
infrastructure:
  - name: node
    nodes: 1
    bom:
      gpus:
        - model: NVIDIA A100-SXM4-80GB
          units: 8
run:
  duration_h: 10
energy:
  declared_kwh: 100
electricity:
  country: FRA
  pue: 1.2
allocation:
  lifetime_years: 4
  active_utilization_rate: 0.5
";
