/**
 * The Python "fork server" that runs inside the sandbox. It starts once (paying the
 * interpreter's start-up a single time), then for every task read from its protocol pipe it
 * forks a child that drops to an unprivileged uid (when it can), applies rlimits, chdirs to a
 * fresh private directory and execs the program with stdout/stderr captured. The server kills
 * the child on the wall deadline, caps the output, kills stray descendants and wipes the work
 * root before answering, so no task sees another's leftovers.
 *
 * Protocol: each message is a 4-byte big-endian length followed by that many bytes of UTF-8
 * JSON, in both directions. The server writes `{"ready":true}` once, then one result per task.
 *
 * Why exec() inside a forked child rather than spawning `python3 program.py`: the fork copies a
 * warm interpreter (about 1 ms) instead of starting one (about 20-40 ms); see the pool benchmark
 * in sandbox.test.ts. `completed` tells "ran to the end" apart from "called sys.exit(0)" or
 * "os._exit(0)", which human-eval also counts as failures (its `unsafe_execute` only records
 * "passed" after the exec returns; https://github.com/openai/human-eval/blob/master/human_eval/execution.py).
 *
 * Kept as a string so the TypeScript build ships it without copying assets.
 */
export const forkServerSource = String.raw`
import builtins, io, json, os, resource, selectors, shutil, signal, struct, sys, time, traceback

CONFIG = json.loads(sys.argv[1])
WORK_ROOT = CONFIG["workRoot"]
DROP_UID = CONFIG.get("uid")
NPROC_BASE = int(CONFIG.get("nprocBase", 0))
PRIVATE_PID_NS = bool(CONFIG.get("privatePidNs", False))
ONE_SHOT = bool(CONFIG.get("oneShot", False))

PROTO_IN = os.dup(0)
PROTO_OUT = os.dup(1)
_null = os.open(os.devnull, os.O_RDWR)
os.dup2(_null, 0)
os.dup2(2, 1)
os.close(_null)


def read_exact(n):
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(PROTO_IN, n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def receive():
    head = read_exact(4)
    if head is None:
        return None
    body = read_exact(struct.unpack(">I", head)[0])
    return None if body is None else json.loads(body.decode("utf-8"))


def send(message):
    data = json.dumps(message).encode("utf-8")
    view = memoryview(struct.pack(">I", len(data)) + data)
    while view:
        written = os.write(PROTO_OUT, view)
        view = view[written:]


def set_limits(limits):
    cpu = max(1, int(limits["cpuSeconds"] + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits["memoryBytes"], limits["memoryBytes"]))
    nproc = limits["maxProcesses"] + (0 if DROP_UID is not None else NPROC_BASE)
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["maxFileBytes"], limits["maxFileBytes"]))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def exit_code_of(exc):
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write(str(code) + "\n")
    return 1


def flush_std():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def child_main(task, workdir, out_w, err_w, status_w):
    os.setsid()
    os.close(PROTO_IN)
    os.close(PROTO_OUT)
    if DROP_UID is not None:
        os.setgroups([])
        os.setgid(DROP_UID)
        os.setuid(DROP_UID)
    os.mkdir(workdir, 0o700)
    os.chdir(workdir)
    path = os.path.join(workdir, "main.py")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(task["program"])
    stdin_path = os.path.join(workdir, ".stdin")
    with open(stdin_path, "w", encoding="utf-8") as handle:
        handle.write(task.get("stdin") or "")
    stdin_fd = os.open(stdin_path, os.O_RDONLY)
    os.dup2(stdin_fd, 0)
    os.dup2(out_w, 1)
    os.dup2(err_w, 2)
    for fd in (stdin_fd, out_w, err_w):
        os.close(fd)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="backslashreplace")
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace", line_buffering=True)
    os.environ.clear()
    os.environ.update({"PATH": "/usr/bin:/bin", "HOME": workdir, "TMPDIR": workdir, "LANG": "C.UTF-8"})
    sys.argv = [path]
    sys.path[0:0] = [workdir]
    set_limits(task["limits"])
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        code = compile(task["program"], path, "exec")
        exec(code, {"__name__": "__main__", "__file__": path, "__builtins__": builtins})
    except SystemExit as exc:
        status = exit_code_of(exc)
        flush_std()
        os._exit(status)
    except BaseException as exc:
        try:
            # Skip the server's own frame: the traceback starts in the program, as with python3 main.py.
            traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next)
        except BaseException:
            pass
        flush_std()
        os._exit(1)
    flush_std()
    os.write(status_w, b"done")
    os._exit(0)


def kill_strays(pgid, everything):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass
    if not everything:
        return
    if DROP_UID is not None:
        as_task_user(None)
    elif PRIVATE_PID_NS:
        me = os.getpid()
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) not in (1, me):
                try:
                    os.kill(int(entry), signal.SIGKILL)
                except OSError:
                    pass


def as_task_user(action):
    pid = os.fork()
    if pid == 0:
        try:
            if DROP_UID is not None:
                os.setgroups([])
                os.setgid(DROP_UID)
                os.setuid(DROP_UID)
                # kill(-1) reaches every process of this uid (the worker's own), never the server.
                os.kill(-1, signal.SIGKILL)
            if action is not None:
                action()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def wipe_work_root():
    for entry in os.listdir(WORK_ROOT):
        target = os.path.join(WORK_ROOT, entry)
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target, ignore_errors=True)
        else:
            try:
                os.unlink(target)
            except OSError:
                pass


def decode(chunks):
    return b"".join(chunks).decode("utf-8", errors="replace")


def run_task(task, counter):
    limits = task["limits"]
    workdir = os.path.join(WORK_ROOT, "task-%d" % counter)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    status_r, status_w = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            for fd in (out_r, err_r, status_r):
                os.close(fd)
            child_main(task, workdir, out_w, err_w, status_w)
        finally:
            os._exit(70)
    for fd in (out_w, err_w, status_w):
        os.close(fd)
    cap = limits["maxOutputBytes"]
    buffers = {out_r: [], err_r: [], status_r: []}
    sizes = {out_r: 0, err_r: 0, status_r: 0}
    sel = selectors.DefaultSelector()
    for fd in buffers:
        sel.register(fd, selectors.EVENT_READ)
    pidfd = None
    try:
        pidfd = os.pidfd_open(pid)
        sel.register(pidfd, selectors.EVENT_READ)
    except (AttributeError, OSError):
        pidfd = None
    deadline = started + limits["wallMs"] / 1000.0
    status = None
    timed_out = False
    truncated = False
    open_fds = set(buffers)
    swept = False
    while True:
        if status is None:
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = raw
                if pidfd is not None:
                    sel.unregister(pidfd)
                    os.close(pidfd)
                    pidfd = None
                kill_strays(pid, False)
        if status is not None and not open_fds:
            break
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = status is None
            break
        if status is not None:
            # Exited, yet something still holds its pipes: a detached descendant. Give it a moment
            # to be an ordinary late close, then kill everything the task started.
            wait = min(remaining, 0.02)
        elif pidfd is not None:
            wait = remaining
        else:
            wait = min(remaining, 0.005)
        events = sel.select(wait)
        if not events and status is not None and not swept:
            kill_strays(pid, True)
            swept = True
        for key, _ in events:
            fd = key.fd
            if fd == pidfd:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                sel.unregister(fd)
                open_fds.discard(fd)
                continue
            if sizes[fd] < cap:
                buffers[fd].append(chunk[: cap - sizes[fd]])
            sizes[fd] += len(chunk)
            if sizes[fd] > cap and fd != status_r:
                truncated = True
        if truncated:
            break
    # With a dropped uid, as_task_user below sweeps everything; otherwise sweep here.
    kill_strays(pid, DROP_UID is None)
    if status is None:
        _, status = os.waitpid(pid, 0)
    if pidfd is not None:
        os.close(pidfd)
    for fd in open_fds:
        try:
            sel.unregister(fd)
        except (KeyError, ValueError):
            pass
    for fd in buffers:
        os.close(fd)
    sel.close()
    as_task_user(wipe_work_root)
    duration_ms = (time.monotonic() - started) * 1000.0
    signal_number = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    try:
        signal_name = signal.Signals(signal_number).name if signal_number else None
    except ValueError:
        signal_name = "SIG%d" % signal_number
    exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    return {
        "id": task["id"],
        "exitCode": exit_code,
        "signal": signal_name,
        "timedOut": timed_out,
        "outputTruncated": truncated,
        "completed": b"".join(buffers[status_r]) == b"done" and exit_code == 0,
        "stdout": decode(buffers[out_r]),
        "stderr": decode(buffers[err_r]),
        "durationMs": duration_ms,
    }


def main():
    os.makedirs(WORK_ROOT, exist_ok=True)
    if DROP_UID is not None:
        # Tasks create their own directory here after dropping to DROP_UID.
        os.chmod(WORK_ROOT, 0o1777)
    send({"ready": True, "pid": os.getpid(), "python": sys.version.split()[0]})
    counter = 0
    while True:
        task = receive()
        if task is None:
            return
        counter += 1
        try:
            result = run_task(task, counter)
        except BaseException as exc:
            result = {"id": task.get("id"), "error": "%s: %s" % (type(exc).__name__, exc)}
        send(result)
        if ONE_SHOT:
            return


main()
`;
