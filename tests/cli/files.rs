//! Files are never lost: an output that is an input is refused, links are followed, devices and
//! FIFOs are written through, a failed write to standard output is an error, and a sample count
//! that would not fit in memory is refused before anything is computed.

use crate::common::*;
use std::path::Path;

const SCENARIO: &str = "scenarios/apollo-6500-bom.yaml";

fn copy_scenario(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(root().join(SCENARIO)).expect("shipped scenario");
    write(dir, "s.yaml", &text)
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = copy_scenario(dir.path());
    let before = std::fs::read(&s).expect("scenario");
    let sp = s.to_str().expect("path");
    // the same file by another spelling, and through a link
    let again = dir.path().join(".").join("s.yaml");
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink(&s, &link).expect("link");
    for out in [
        sp,
        again.to_str().expect("path"),
        link.to_str().expect("path"),
    ] {
        for args in [
            vec!["assess", sp, "--format", "json", "--output", out],
            vec!["statement", sp, "--output", out],
            vec!["compare", sp, SCENARIO, "--output", out],
            vec!["plot", "embodied", sp, "--output", out],
        ] {
            let o = run(&args);
            assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
            assert!(
                o.stderr.contains("writing it would destroy the input"),
                "{}",
                o.stderr
            );
            assert_eq!(
                std::fs::read(&s).expect("scenario"),
                before,
                "{args:?} changed the input"
            );
        }
    }
    assert!(std::fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
}

#[test]
fn a_link_is_followed_and_stays_a_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("report.json");
    let link = dir.path().join("latest.json");
    std::os::unix::fs::symlink(&target, &link).expect("link");
    let o = run(&[
        "assess",
        SCENARIO,
        "--format",
        "json",
        "--output",
        link.to_str().expect("path"),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(std::fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).expect("target written"))
            .expect("JSON");
    assert!(v["impacts"]["total"]["gwp"]["value"].is_number());
}

#[test]
fn devices_and_standard_output_are_written_through() {
    let o = run(&[
        "assess",
        SCENARIO,
        "--format",
        "json",
        "--output",
        "/dev/stdout",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON on stdout");
    assert!(v["impacts"].is_object());
    let o = run(&["assess", SCENARIO, "--output", "/dev/null"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let m = std::fs::metadata("/dev/null").expect("/dev/null");
    assert!(!m.is_file(), "/dev/null was replaced by a file");
}

#[test]
fn a_full_device_is_an_error_on_stdout_and_on_output() {
    if !Path::new("/dev/full").exists() {
        eprintln!("SKIPPED: no /dev/full on this system");
        return;
    }
    let full = std::fs::File::create("/dev/full").expect("open /dev/full");
    let o = std::process::Command::new(assert_cmd::cargo::cargo_bin("mlca"))
        .current_dir(root())
        .args(["assess", SCENARIO])
        .stdout(full)
        .output()
        .expect("mlca runs");
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("cannot write to standard output"), "{e}");
    let o = run(&["assess", SCENARIO, "--output", "/dev/full"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("cannot write /dev/full"), "{}", o.stderr);
    assert!(!std::fs::metadata("/dev/full").expect("dev").is_file());
}

#[test]
fn a_closed_pipe_is_a_quiet_exit() {
    use std::process::Stdio;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("mlca"))
        .current_dir(root())
        .args(["hardware", "list", "--kind", "cpu"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mlca runs");
    // close the reading end at once
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("mlca ends");
    assert_eq!(o.status.code(), Some(0));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn too_many_samples_are_refused_with_the_cap_and_the_memory() {
    for n in ["18446744073709551615", "5000001"] {
        let o = run(&["assess", SCENARIO, "--samples", n]);
        assert_eq!(o.code, 2, "{}", o.stderr);
        assert!(o.stderr.contains("at most 5000000 samples"), "{}", o.stderr);
        assert!(o.stderr.contains("GB of memory"), "{}", o.stderr);
    }
}
