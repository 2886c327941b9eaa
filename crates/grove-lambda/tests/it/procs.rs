//! Child processes for the emulator tests: always stopped, with bounded waits.

use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address").port()
}

/// A child process stopped with SIGTERM (then SIGKILL after 5 s) when dropped; its output lines
/// are collected for failure messages.
pub struct Proc {
    name: &'static str,
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Proc {
    pub fn spawn(name: &'static str, mut command: Command) -> (Proc, Receiver<String>) {
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().unwrap_or_else(|e| panic!("starting {name}: {e}"));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let out: Box<dyn Read + Send> = Box::new(child.stdout.take().expect("stdout"));
        let err: Box<dyn Read + Send> = Box::new(child.stderr.take().expect("stderr"));
        for stream in [out, err] {
            let (tx, lines) = (tx.clone(), Arc::clone(&lines));
            thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().expect("the output lock").push(line.clone());
                    let _ = tx.send(line);
                }
            });
        }
        (Proc { name, child, lines }, rx)
    }

    pub fn output(&self) -> String {
        format!(
            "--- {} output ---\n{}",
            self.name,
            self.lines.lock().expect("the output lock").join("\n")
        )
    }

    /// Waits up to `limit` for the process to exit by itself.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
            if self.wait_exit(Duration::from_secs(5)).is_none() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }
}

/// Waits until something listens on `port`, failing with `proc`'s output at `deadline`.
pub fn wait_for_port(port: u16, deadline: Instant, proc: &Proc) {
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        thread::sleep(Duration::from_millis(100));
    }
    panic!("nothing listens on 127.0.0.1:{port}\n{}", proc.output());
}

/// Runs `command` to the end, killing it and failing after `limit`.
pub fn run_bounded(mut command: Command, limit: Duration) -> Output {
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("starting the command");
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return child.wait_with_output().expect("its output"),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(50)),
            _ => {
                let _ = child.kill();
                let output = child.wait_with_output().expect("its output");
                panic!(
                    "the command did not finish within {limit:?}\n{}\n{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                );
            }
        }
    }
}

/// Starts `cargo lambda watch --only-lambda-apis` (already set up in `command`) and waits, at
/// most 60 s, until it serves and has printed the `AWS_LAMBDA_*` variables a function needs.
pub fn start_runtime_api(command: Command) -> (Proc, Vec<(String, String)>) {
    let (proc, lines) = Proc::spawn("cargo lambda watch", command);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut vars = Vec::new();
    let mut started = false;
    while !(started && vars.len() >= 4) {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                if let Some(var) = printed_var(&line) {
                    vars.push(var);
                }
                started |= line.contains("starting Runtime server");
            }
            Err(_) => panic!("cargo lambda watch did not start within 60 s\n{}", proc.output()),
        }
    }
    (proc, vars)
}

/// `AWS_LAMBDA_X=value` from a line of `watch`'s output.
fn printed_var(line: &str) -> Option<(String, String)> {
    let start = line.find("AWS_LAMBDA_")?;
    let token = line[start..].split_whitespace().next()?;
    let (key, value) = token.split_once('=')?;
    Some((key.to_string(), value.to_string()))
}
