//! Loopback ports: a free one to start a peer on, and waiting until something listens.

use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use crate::proc::Proc;

/// A port of 127.0.0.1 that nothing listens on now (the OS's choice, so parallel tests do not
/// collide).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    listener.local_addr().expect("the listener's address").port()
}

/// Waits until something accepts on `port`, failing with `proc`'s output at `deadline` or when
/// `proc` exits first.
pub fn wait_for_port(port: u16, deadline: Instant, proc: &mut Proc) {
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Some(status) = proc.exited() {
            panic!(
                "{} exited ({status}) before listening on {port}\n{}",
                proc.name(),
                proc.output()
            );
        }
        thread::sleep(Duration::from_millis(100));
    }
    panic!("nothing listens on 127.0.0.1:{port}\n{}", proc.output());
}
