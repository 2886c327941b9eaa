"""Cold start and resident memory of the peer benchmark: the time from exec to the first
successful answer (model load included), with VmRSS/VmHWM from /proc/PID/status at that
moment, for the HTTP servers and for the Lambda functions; plus the warm invoke times the cost
estimate needs. Emits JSON lines like peers.py (`seconds` is the best run; `median_s` beside it).

Usage: startup.py OUT_DIR [--quick]   (run by bench/run.sh with .venv-bench's Python, after the
binaries are built, `grove import` wrote OUT_DIR/seed.grove and the zip is unpacked in
OUT_DIR/lambda-task)

Fairness: every measured process is started on core 0 (it inherits this process's affinity at
fork), while this client stays on core 1, as in http.sh. Each run is a fresh process on a fresh
port; the first run of each peer is an unmeasured warm-up so every run reads files from the page
cache. The client polls without sleeping (a refused loopback connect costs tens of µs)."""
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

out = os.path.abspath(sys.argv[1])
quick = "--quick" in sys.argv
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
py = sys.executable
pinned = (os.cpu_count() or 1) >= 2
RUNS, PY_RUNS = 10, (3 if quick else 10)
WARM_INVOKES = 200
EVENT = open(os.path.join(root, "crates/grove-lambda/tests/events/tutorial-direct.json"), "rb").read()
BODY = json.loads(EVENT)["body"].encode()
log = open(os.path.join(out, "startup.log"), "w")


def emit(**record):
    print(json.dumps({"threads": 1, "rows": 1, **record}), flush=True)


def client_core():
    if pinned:
        os.sched_setaffinity(0, {1})


def spawn(cmd, env=None, cwd=None):
    """Starts `cmd` on core 0 (affinity is inherited at fork), this process staying on core 1."""
    if pinned:
        os.sched_setaffinity(0, {0})
    try:
        return subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    finally:
        client_core()


def stop(p):
    p.terminate()
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def memory(pid):
    """VmRSS (resident now) and VmHWM (peak resident) in KiB."""
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    return {"vmrss_kib": int(fields["VmRSS"].split()[0]), "vmhwm_kib": int(fields["VmHWM"].split()[0])}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_http_answer(p, port):
    """Connects until the server accepts, then POSTs the tutorial's body; returns the status."""
    while True:
        try:
            s = socket.create_connection(("127.0.0.1", port))
            break
        except ConnectionRefusedError:
            if p.poll() is not None:
                raise RuntimeError(f"{p.args} exited with {p.returncode}; see {log.name}")
    with s:
        s.sendall(b"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY))
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def measure(case, peer, what, runs, start, first_answer, after=None):
    """`runs` cold starts (after one warm-up): exec -> first answer, memory at that moment."""
    times = []
    for i in range(runs + 1):
        t = time.perf_counter()
        p, ctx = start()
        try:
            status = first_answer(p, ctx)
            elapsed = time.perf_counter() - t
            mem = memory(p.pid)
            if status != 200:
                raise RuntimeError(f"{peer}: first answer {status}; see {log.name}")
            extra = after(p, ctx) if after and i == runs else {}
        finally:
            stop(p)
        if i > 0:
            times.append(elapsed)
    emit(case=case, peer=peer, what=what, seconds=min(times), median_s=statistics.median(times),
         runs=runs, **mem, **extra)


def http_server(cmd, env=None):
    def start():
        port = free_port()
        return spawn([c.replace("PORT", str(port)) for c in cmd], env=env), port
    return start


client_core()
pkl, grove_file = os.path.join(out, "seed.pkl"), os.path.join(out, "seed.grove")
grove = os.path.join(root, "target/release/grove")
measure("cold_start/http", "grove", "grove serve seed.pkl --target-name quality", RUNS,
        http_server([grove, "serve", pkl, "--target-name", "quality", "--port", "PORT"]), first_http_answer)
measure("cold_start/http", "grove-file", "grove serve seed.grove (imported with grove import)", RUNS,
        http_server([grove, "serve", grove_file, "--port", "PORT"]), first_http_answer)
measure("cold_start/http", "bare-axum", "bare-axum (parses JSON, fixed answer, no model)", RUNS,
        http_server([os.path.join(root, "target/release/bare-axum"), "PORT"]), first_http_answer)
uvicorn = os.path.join(os.path.dirname(py), "uvicorn")
measure("cold_start/http", "fastapi", "uvicorn fastapi_app:app (FastAPI, pandas, unpickled sklearn)",
        PY_RUNS, http_server([uvicorn, "--app-dir", os.path.join(root, "bench/peers"), "fastapi_app:app",
                              "--port", "PORT", "--log-level", "warning"],
                             dict(os.environ, GROVE_BENCH_MODEL=pkl)), first_http_answer)


# The Lambda functions, under cargo-lambda's Runtime API emulator (started once, on core 1).
def emulator():
    """`cargo lambda watch --only-lambda-apis` and the variables it prints for the function."""
    venv = os.path.dirname(os.path.dirname(py))  # .venv-bench: cargo-lambda is pinned there
    # watch wants a Cargo.toml in its directory (its own workspace, so no parent one claims it).
    work = tempfile.mkdtemp(prefix="grove-emulator-")
    os.makedirs(os.path.join(work, "src"))
    open(os.path.join(work, "Cargo.toml"), "w").write(
        '[package]\nname = "emulated"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n')
    open(os.path.join(work, "src/main.rs"), "w").write("fn main() {}\n")
    port = free_port()
    env = dict(os.environ, NO_COLOR="1", PATH=os.path.join(venv, "bin") + os.pathsep + os.environ["PATH"])
    p = subprocess.Popen([os.path.join(venv, "bin/cargo-lambda"), "lambda", "watch", "--only-lambda-apis",
                          "-A", "127.0.0.1", "-P", str(port)], cwd=work, env=env, text=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    variables, said = {}, []
    for line in p.stdout:
        said.append(line)
        if "AWS_LAMBDA_" in line:
            key, value = line[line.index("AWS_LAMBDA_"):].split()[0].split("=", 1)
            variables[key] = value
        if "starting Runtime server" in line:
            break
    else:
        raise RuntimeError("cargo lambda watch did not start:\n" + "".join(said))
    # Keep draining its output so it never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
    return p, port, variables, work


def invoke(conn):
    conn.request("POST", f"/2015-03-31/functions/{variables['AWS_LAMBDA_FUNCTION_NAME']}/invocations", body=EVENT)
    answer = conn.getresponse()
    payload = json.loads(answer.read())
    return answer.status, payload


def first_invoke(p, conn):
    """Queues the tutorial's event; the emulator hands it over when the function asks for it."""
    status, payload = invoke(conn)
    return status if payload == {"statusCode": 200, "body": '{"quality": 6}'} else -1


def warm_invokes(p, conn):
    times = []
    for _ in range(WARM_INVOKES):
        t = time.perf_counter()
        invoke(conn)
        times.append(time.perf_counter() - t)
    # VmHWM after the invokes too: the peak a memory setting must hold.
    return {"warm_invoke_median_s": statistics.median(times), "warm_invoke_best_s": min(times),
            "warm_invokes": len(times), "vmhwm_after_invokes_kib": memory(p.pid)["vmhwm_kib"]}


def function(cmd, env):
    def start():
        return spawn(cmd, env=env), http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    return start


emu, port, variables, work = emulator()
try:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GROVE_", "LAMBDA_"))}
    base.update(variables)
    task = os.path.join(out, "lambda-task")  # bootstrap.zip unpacked, as Lambda unpacks it
    measure("cold_start/lambda", "grove", "grove-lambda from bootstrap.zip (lambda-size), model.grove",
            RUNS, function([os.path.join(task, "bootstrap")],
                           dict(base, LAMBDA_TASK_ROOT=task, GROVE_MODEL="model.grove")),
            first_invoke, warm_invokes)
    measure("cold_start/lambda", "python", "tutorial_handler.py (sklearn, unpickled seed.pkl) in a minimal "
            "Python Runtime API loop", PY_RUNS,
            function([py, os.path.join(root, "bench/peers/lambda_runtime.py")], dict(base, GROVE_BENCH_MODEL=pkl)),
            first_invoke, warm_invokes)
finally:
    stop(emu)
    shutil.rmtree(work, ignore_errors=True)

# The Python handler's own warm time, in process (what Lambda bills for it, minus the runtime).
timed = subprocess.run([py, os.path.join(root, "bench/peers/tutorial_handler.py"),
                        os.path.join(root, "crates/grove-lambda/tests/events/tutorial-direct.json"),
                        str(WARM_INVOKES)], env=dict(os.environ, GROVE_BENCH_MODEL=pkl),
                       capture_output=True, text=True, check=True)
handler = json.loads(timed.stdout)
emit(case="lambda/warm_handler", peer="python", what="tutorial_handler.handler in process (json + predict)",
     seconds=handler["best_s"], median_s=handler["median_s"], runs=handler["runs"])
