//! What a person reads before anything runs: `grove --help`, every command's help, and the
//! messages of the mistakes people make on the command line, pinned as snapshots so a stale or
//! changed text shows up in review (`cargo insta review`, or INSTA_UPDATE=always).

use std::process::Command;

/// Exit code, standard output and standard error of one `grove` run, as a snapshot reads them.
fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_grove"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("grove runs");
    format!(
        "$ grove {}\nexit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        args.join(" "),
        out.status.code().map_or("signal".into(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const COMMANDS: [&str; 11] = [
    "train", "import", "predict", "inspect", "serve", "package", "deploy", "invoke", "push",
    "models", "rollback",
];

#[test]
fn grove_help_lists_every_command() {
    let help = run(&["--help"]);
    for command in COMMANDS {
        assert!(help.contains(&format!("\n  {command} ")), "`{command}` missing:\n{help}");
    }
    insta::assert_snapshot!("help", help);
}

#[test]
fn every_command_has_its_help() {
    for command in COMMANDS {
        insta::assert_snapshot!(format!("help_{command}"), run(&[command, "--help"]));
    }
}

/// Usage mistakes exit 2 with clap's message; what fails at run time exits 1 with grove's.
#[test]
fn mistakes_are_named() {
    let cases: [(&str, &[&str]); 10] = [
        ("criterion_typo", &["train", "wine", "--criterion", "ginni"]),
        (
            "max_features_typo",
            &["train", "--csv", "x.csv", "--target", "y", "--max-features", "half"],
        ),
        ("separator", &["predict", "wine-quality", "--sep", "ab"]),
        ("poll_interval", &["serve", "s3://b/k", "--poll-interval", "soon"]),
        ("memory_too_small", &["deploy", "--memory", "64"]),
        ("timeout_too_long", &["deploy", "--timeout", "901"]),
        ("no_recipe", &["train"]),
        ("missing_model", &["predict", "nonexistent.grove"]),
        ("s3_for_a_local_command", &["inspect", "s3://bucket/wine.grove"]),
        ("s3_options_for_a_local_model", &["serve", "wine-quality", "--poll-interval", "5"]),
    ];
    for (name, args) in cases {
        insta::assert_snapshot!(format!("mistake_{name}"), run(args));
    }
}
