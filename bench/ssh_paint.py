"""Time from `ssh` to the first screen, against the same dashboard opened locally, in one run.

A coordinator's dashboard comes over SSH: sshd authenticates, runs `kokeilu session`, which
forgets the environment, logs the session's start to syslog and opens the dashboard. This
measures what that costs. The deployment is the one `tests/test_deploy_sshd.py` makes (the wheel
in a venv of the system's Python, real accounts, setup-shared, sshd on 127.0.0.1 with
`ForceCommand kokeilu session`), so it needs root; it removes everything it made.

In turns, as the same account and on the same registry, at 80x24:
- local: `runuser -u ACCOUNT -- VENV/bin/kokeilu -f REGISTRY` in a tmux pane;
- ssh:   `ssh -tt ACCOUNT@127.0.0.1` in a tmux pane (the ForceCommand opens the dashboard).
Each is timed from the pane's start to the Overview's first screen with data (the regions).

    sudo .venv/bin/python bench/ssh_paint.py [--runs N]

prints one line per run and the medians, and the ratio ssh / local.
"""

from __future__ import annotations

import argparse
import statistics

from deploy import deployment  # bench/ is on sys.path: this script's own folder
from term import Term

MARKER = "Kuopion keskinen kokeilualue"
PEOPLE = {
    "region": 'name = "Veera Varkaus"\nparty = "varkaus"\naccess = "region"',
    "admin": 'name = "Aino Kuopio"\nparty = "kuopio"\naccess = "all"',
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="pairs of runs (7)")
    args = parser.parse_args()
    with deployment(PEOPLE) as server:
        login = server.accounts["region"].login
        local_argv = ["runuser", "-u", login, "--", str(server.kokeilu), "-f", str(server.registry)]
        ssh_argv = server.ssh_args("region", tty=True)
        for argv in (local_argv, ssh_argv):  # warm-up: caches, the first sshd fork
            with Term(argv, kill=True) as term:
                term.wait_for(MARKER)
        local: list[float] = []
        remote: list[float] = []
        for i in range(args.runs):
            with Term(local_argv, kill=True) as term:
                local.append(term.wait_for(MARKER))
            with Term(ssh_argv, kill=True) as term:
                remote.append(term.wait_for(MARKER))
            print(f"run {i + 1}: local {local[-1]:.3f} s  ssh {remote[-1]:.3f} s", flush=True)
        lm, rm = statistics.median(local), statistics.median(remote)
        print(
            f"median: local {lm:.3f} s  ssh {rm:.3f} s  ssh/local {rm / lm:.2f}x  (+{rm - lm:.3f} s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
