//! Child processes that cannot outlive their test: stopped with SIGTERM (then SIGKILL) when
//! dropped, a panicking test included, with their output kept for failure messages; and
//! commands run to the end under a time limit.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A running child process.
#[derive(Debug)]
pub struct Proc {
    name: String,
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Proc {
    /// Starts `command` with its stdout and stderr collected line by line; the receiver sees
    /// each line as it comes (for peers that print what a client needs, like cargo-lambda).
    pub fn spawn(name: &str, mut command: Command) -> (Proc, Receiver<String>) {
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().unwrap_or_else(|e| panic!("starting {name}: {e}"));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let out: Box<dyn Read + Send> = Box::new(child.stdout.take().expect("a piped stdout"));
        let err: Box<dyn Read + Send> = Box::new(child.stderr.take().expect("a piped stderr"));
        for stream in [out, err] {
            let (tx, lines) = (tx.clone(), Arc::clone(&lines));
            thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().expect("the output lock").push(line.clone());
                    let _ = tx.send(line);
                }
            });
        }
        (Proc { name: name.to_string(), child, lines }, rx)
    }

    /// The name it was started under, for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Everything it printed so far, headed by its name.
    pub fn output(&self) -> String {
        format!(
            "--- {} output ---\n{}",
            self.name,
            self.lines.lock().expect("the output lock").join("\n")
        )
    }

    /// Its exit status, if it has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Waits up to `limit` for the process to exit by itself.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.exited() {
                return Some(status);
            }
            thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// Sends SIGTERM, as Lambda and systemd stop a process.
    pub fn terminate(&self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if self.exited().is_none() {
            self.terminate();
            if self.wait_exit(Duration::from_secs(5)).is_none() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }
}

/// Runs `command` to the end with piped output, killing it and failing after `limit`.
pub fn run_bounded(mut command: Command, limit: Duration) -> Output {
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().unwrap_or_else(|e| panic!("starting {command:?}: {e}"));
    // Drained on threads, so a chatty child never blocks on a full pipe while we wait.
    let stdout = drain(child.stdout.take().expect("a piped stdout"));
    let stderr = drain(child.stderr.take().expect("a piped stderr"));
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{command:?} did not finish within {limit:?}\n{}\n{}",
                    String::from_utf8_lossy(&stdout.join().unwrap_or_default()),
                    String::from_utf8_lossy(&stderr.join().unwrap_or_default())
                );
            }
        }
    };
    Output {
        status,
        stdout: stdout.join().expect("the stdout reader"),
        stderr: stderr.join().expect("the stderr reader"),
    }
}

fn drain(mut stream: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        bytes
    })
}

/// Both streams of a finished command, for failure messages.
pub fn text(output: &Output) -> String {
    format!(
        "status {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_command_returns_both_streams() {
        let mut command = Command::new("sh");
        command.args(["-c", "echo out; echo err >&2; exit 3"]);
        let output = run_bounded(command, Duration::from_secs(10));
        assert_eq!(output.status.code(), Some(3));
        assert_eq!(output.stdout, b"out\n");
        assert_eq!(output.stderr, b"err\n");
    }

    #[test]
    #[should_panic(expected = "did not finish within")]
    fn a_command_past_its_limit_is_killed_and_fails() {
        let mut command = Command::new("sleep");
        command.arg("30");
        run_bounded(command, Duration::from_millis(200));
    }

    #[test]
    fn a_dropped_proc_is_stopped() {
        let mut command = Command::new("sleep");
        command.arg("30");
        let (proc, _) = Proc::spawn("sleep", command);
        let pid = proc.id();
        drop(proc);
        let alive = Command::new("kill").args(["-0", &pid.to_string()]).status().unwrap();
        assert!(!alive.success(), "sleep {pid} still runs");
    }
}
