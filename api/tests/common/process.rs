//! `pos-api` as a process: started with a clean environment, waited for, stopped.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const BINARY: &str = env!("CARGO_BIN_EXE_pos-api");

/// A command with none of the developer's environment leaking into it.
pub fn pos_api(dir: &std::path::Path) -> Command {
    let mut command = Command::new(BINARY);
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    command
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `pos-api` (serve) until it listens, returning the child and its log lines so far.
pub fn start_server(
    command: &mut Command,
    port: u16,
) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    let mut child = command
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, log) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "pos-api did not start listening");
        assert!(child.try_wait().unwrap().is_none(), "pos-api exited early");
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, log)
}

pub fn sigterm(child: &std::process::Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}
