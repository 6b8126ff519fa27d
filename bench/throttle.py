"""A phone-like profile for Chromium: a slower CPU and a mobile network, as in the bench's table.

Network: DevTools' own emulation (Network.emulateNetworkConditions) on the page's CDP session; it
also shapes the dedicated worker's fetches, which is where the runtime is downloaded (checked: a
1 MB fetch from a worker took 0.95 s at 10 Mbit/s, 18 ms unthrottled).

CPU: DevTools' Emulation.setCPUThrottlingRate slows only the page's main thread; the Python
runtime runs in a worker and was measured at full speed under it (a busy loop in a worker: 344 ms
at rate 1, 363 ms at rate 4). A phone's CPU is slow for both threads, so this module throttles the
renderer processes of the bench's browser instead, with SIGSTOP/SIGCONT in a duty cycle: running
1/rate of every period, stopped for the rest. Every thread of a renderer (page and worker) is then
`rate` times slower in wall-clock time, as on a slower CPU; the browser and network processes keep
their speed, as a phone's radio and network stack do not share its application cores' load.
Linux only (it reads /proc).
"""

import os
import pathlib
import signal
import subprocess
import sys
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
PERIOD_S = 0.02  # one duty cycle; short enough that a 16 ms frame sees the slowdown evenly
RESCAN_S = 0.1  # renderers come and go with contexts: look for new ones this often


def marker() -> str:
    """A harmless flag to pass to Chromium so its processes can be told apart from any other's."""
    return f"--ahamirror-bench-tag={uuid.uuid4().hex}"


def _cmdline(pid: int) -> str:
    """The command line as one string: Chromium rewrites its children's argv into a single
    space-separated string, so splitting on NUL would not find their flags."""
    try:
        return pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").replace("\0", " ")
    except OSError:
        return ""


def _children(pid: int) -> list[int]:
    found = []
    for task in pathlib.Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            pass
    return found


def browser_pids(tag: str) -> list[int]:
    """The browser process(es) launched with `tag` on their command line (found once: they live
    as long as the browser)."""
    own = os.getpid()
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != own and tag in _cmdline(int(p))]


def renderers(browsers: list[int]) -> list[int]:
    """Renderer processes below these browsers (browser -> zygote -> renderer): a walk down the
    process tree, a few reads, rather than a scan of every process on the machine."""
    found, queue = [], list(browsers)
    while queue:
        for child in _children(queue.pop()):
            if "--type=renderer" in _cmdline(child):
                found.append(child)
            else:
                queue.append(child)
    return found


class CpuThrottle:
    """`with CpuThrottle(tag, rate):` slows every renderer of that browser `rate` times.

    The duty cycle runs in its own process: a thread here would share the interpreter lock with
    Playwright's event loop and overrun its running slots by up to the switch interval (5 ms of a
    5 ms slot), which measured as a 2x slowdown where 4x was asked."""

    def __init__(self, tag: str, rate: float):
        if rate < 1:
            raise ValueError("rate must be at least 1")
        self.tag, self.rate = tag, rate
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> "CpuThrottle":
        if self.rate > 1:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "bench.throttle", self.tag, str(self.rate)],
                cwd=str(ROOT),
                stdout=subprocess.PIPE,
                text=True,
            )
            assert self._process.stdout is not None
            self._process.stdout.readline()  # "throttling": the first renderers are being throttled
        return self

    def __exit__(self, *exc) -> None:
        if self._process is not None:
            self._process.terminate()  # the child resumes every renderer before it exits
            self._process.wait(timeout=10)
            self._process = None


def _signal(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _wake_on_time() -> None:
    """A 5 ms slot only holds if this process wakes when its sleep ends: on a loaded machine an
    ordinary process waits its turn for a core, and every late wake lengthens the renderers'
    running share. A real-time priority (root, or CAP_SYS_NICE) makes the wakes punctual; without
    it, the best nice value allowed."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
        return
    except (OSError, AttributeError):
        pass
    try:
        os.nice(-20)
    except OSError:
        pass


def duty_cycle(tag: str, rate: float) -> None:
    """Run until SIGTERM: renderers run 1/rate of every period and are stopped for the rest."""
    done = False

    def finish(*_args) -> None:
        nonlocal done
        done = True

    signal.signal(signal.SIGTERM, finish)
    _wake_on_time()
    running = PERIOD_S / rate
    browsers = browser_pids(tag)
    pids = renderers(browsers)
    last_scan = time.monotonic()
    print("throttling", len(pids), flush=True)
    try:
        while not done:
            _signal(pids, signal.SIGCONT)
            time.sleep(running)
            _signal(pids, signal.SIGSTOP)
            stopped_at = time.monotonic()
            if stopped_at - last_scan > RESCAN_S:
                # Scanning /proc takes milliseconds: do it while the renderers are stopped, so it
                # never lengthens their running share; a newly found renderer is stopped at once.
                pids, last_scan = renderers(browsers), stopped_at
                _signal(pids, signal.SIGSTOP)
            time.sleep(max(0.0, PERIOD_S - running - (time.monotonic() - stopped_at)))
    finally:
        _signal(pids, signal.SIGCONT)  # never leave a renderer stopped


def network(cdp, latency_ms: float, down_mbit: float, up_mbit: float) -> None:
    """DevTools' network emulation on a page's CDP session (throughputs in bytes per second)."""
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": down_mbit * 1e6 / 8,
            "uploadThroughput": up_mbit * 1e6 / 8,
        },
    )


if __name__ == "__main__":
    duty_cycle(sys.argv[1], float(sys.argv[2]))
