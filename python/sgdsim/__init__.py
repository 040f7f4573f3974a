"""Python client of sgdsim: read run and sweep folders, start runs and sweeps, follow a live run.

Standard library only; tables are pandas DataFrames when pandas is installed, else :class:`Table`.
Column names are the files' own (``metrics.csv``, ``theory.csv``, ``runs.csv`` ...): nothing here lists them.

    import sgdsim
    run = sgdsim.run("conf/experiments/quickstart.conf", set={"data.dim": 500})
    run.metrics["max_cos_1"]
"""

import csv
import json
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

try:  # pandas is optional: used when installed
    import pandas as _pd
except ImportError:  # pragma: no cover - depends on the machine
    _pd = None

__all__ = ["SgdsimError", "Table", "Run", "Sweep", "load_run", "load_sweep", "run", "sweep", "follow",
           "live_runs", "resume", "launcher_path"]

LAUNCHER_ENV = "SGDSIM_LAUNCHER"


class SgdsimError(Exception):
    """A bad folder, a refused command (sgdsim's one-line message, exit 2) or a failed run.

    ``message`` is the one line; ``exit_code`` the launcher's exit code (None when sgdsim did not run).
    """

    def __init__(self, message, exit_code=None):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class Table:
    """A CSV table without pandas: ``t.columns``, ``t["col"]`` (a list), ``len(t)``, ``t.records()``."""

    def __init__(self, columns, rows):
        self.columns = list(columns)
        self.rows = [tuple(r) for r in rows]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, column):
        try:
            i = self.columns.index(column)
        except ValueError:
            raise KeyError(column) from None
        return [r[i] for r in self.rows]

    def __contains__(self, column):
        return column in self.columns

    def records(self):
        """The rows as dicts, column name to value."""
        return [dict(zip(self.columns, r)) for r in self.rows]

    def __repr__(self):
        return "Table(%d rows, columns=%r)" % (len(self.rows), self.columns)


def _value(text):
    """A CSV cell as int, float (NaN, Infinity included) or str, as pandas would read it."""
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _table(columns, rows):
    if _pd is not None:
        return _pd.DataFrame(list(rows), columns=list(columns))
    return Table(columns, rows)


def _read_csv(path, required=True):
    """A CSV file with a header as a table, or None when it is absent and not required."""
    if not os.path.isfile(path):
        if required:
            raise SgdsimError("%s is missing" % path)
        return None
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            raise SgdsimError("%s is empty: expected a header line" % path)
        rows = []
        for n, row in enumerate(reader, start=2):
            if len(row) != len(header):
                if n > 2 and f.read() == "":
                    break  # a run under way may be writing its last line
                raise SgdsimError("%s: line %d has %d cells, the header %d" % (path, n, len(row), len(header)))
            rows.append([_value(c) for c in row])
    return _table(header, rows)


def _read_json(path, required=True):
    if not os.path.isfile(path):
        if required:
            raise SgdsimError("%s is missing" % path)
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except ValueError as ex:
        raise SgdsimError("%s is not valid JSON: %s" % (path, ex)) from None


class Run:
    """A run folder: ``config`` (config.json as a dict), ``summary`` (summary.json, None while it runs), and the
    tables ``metrics``, ``theory`` (theory.csv, None unless theory.enabled), ``pipeline`` (None for runs without
    it), ``latency`` (one row per pipeline stage, from summary.json; None when not recorded)."""

    def __init__(self, path, config, summary, metrics, theory, pipeline, latency):
        self.path = path
        self.config = config
        self.summary = summary
        self.metrics = metrics
        self.theory = theory
        self.pipeline = pipeline
        self.latency = latency

    @property
    def stop_reason(self):
        """summary.json's stop_reason, or None while the run has no summary."""
        return None if self.summary is None else self.summary.get("stop_reason")

    @property
    def finished(self):
        """True when the run ended (not interrupted, not stopped by stop.max-wall: those resume)."""
        return self.stop_reason not in (None, "interrupted", "max-wall")

    def __repr__(self):
        return "Run(%r, stop_reason=%r, %d rows)" % (self.path, self.stop_reason, len(self.metrics))


def _latency(summary):
    stages = (summary or {}).get("latency")
    if not stages:
        return None
    columns = ["stage"]
    for values in stages.values():
        for key in values:
            if key not in columns:
                columns.append(key)
    return _table(columns, [[stage] + [values.get(c) for c in columns[1:]] for stage, values in stages.items()])


def load_run(path):
    """Reads the run folder ``path``; raises SgdsimError naming what is wrong with a folder that is not one."""
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise SgdsimError("run folder %s does not exist" % path)
    if not os.path.isfile(os.path.join(path, "config.json")):
        if os.path.isfile(os.path.join(path, "config.conf")):
            raise SgdsimError("%s has no config.json (written by sgdsim since stop.max-wall); re-run it" % path)
        raise SgdsimError("%s is not a run folder: it has no config.json" % path)
    summary = _read_json(os.path.join(path, "summary.json"), required=False)
    return Run(path,
               _read_json(os.path.join(path, "config.json")),
               summary,
               _read_csv(os.path.join(path, "metrics.csv")),
               _read_csv(os.path.join(path, "theory.csv"), required=False),
               _read_csv(os.path.join(path, "pipeline.csv"), required=False),
               _latency(summary))


class Sweep:
    """A sweep folder: ``runs`` (runs.csv), ``summary`` (summary.csv), ``fits`` (fits.json); the three are None
    while runs are unfinished (a sweep stopped by stop.max-wall). ``run(point, seed)`` loads one run."""

    def __init__(self, path, runs, summary, fits):
        self.path = path
        self.runs = runs
        self.summary = summary
        self.fits = fits

    @property
    def finished(self):
        return self.runs is not None

    def run_folders(self):
        """The names of the run folders under runs/, sorted."""
        return sorted(os.listdir(os.path.join(self.path, "runs")))

    def run(self, point, seed=None):
        """One run of the sweep: by runs.csv's ``point`` and ``seed`` (its folder is runs/<point>-seed<seed>),
        or by the folder's name alone."""
        folder = point if seed is None else "%s-seed%s" % (point, seed)
        return load_run(os.path.join(self.path, "runs", folder))

    def __repr__(self):
        return "Sweep(%r, finished=%r)" % (self.path, self.finished)


def load_sweep(path):
    """Reads the sweep folder ``path``; raises SgdsimError when it is not one."""
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise SgdsimError("sweep folder %s does not exist" % path)
    if not os.path.isfile(os.path.join(path, "sweep.conf")) or not os.path.isdir(os.path.join(path, "runs")):
        raise SgdsimError("%s is not a sweep folder: it has no sweep.conf and runs/" % path)
    return Sweep(path,
                 _read_csv(os.path.join(path, "runs.csv"), required=False),
                 _read_csv(os.path.join(path, "summary.csv"), required=False),
                 _read_json(os.path.join(path, "fits.json"), required=False))


def launcher_path(launcher=None):
    """The ./sgdsim launcher: ``launcher``, else $SGDSIM_LAUNCHER, else the one of this repository, else on PATH."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "sgdsim")
    for candidate in (launcher, os.environ.get(LAUNCHER_ENV), os.path.normpath(here), shutil.which("sgdsim")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
        if candidate and candidate in (launcher, os.environ.get(LAUNCHER_ENV)):
            raise SgdsimError("sgdsim launcher %s is not an executable file" % candidate)
    raise SgdsimError("cannot find the sgdsim launcher: pass launcher= or set %s" % LAUNCHER_ENV)


def _hocon(value):
    """A Python value as the right-hand side of --set key=value."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value)
    return str(value)


def _sets(values):
    args = []
    for key, value in (values or {}).items():
        args += ["--set", "%s=%s" % (key, _hocon(value))]
    return args


def _call(args, launcher):
    cmd = [launcher_path(launcher)] + [os.fspath(a) for a in args]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        lines = [l for l in done.stderr.splitlines() if l.strip() and not l.startswith("WARNING: Using incubator")]
        said = [l for l in lines if l.startswith("sgdsim: ")]
        if done.returncode == 2 and said:
            raise SgdsimError(said[-1], 2)
        raise SgdsimError("sgdsim exited with %d: %s" % (done.returncode, lines[-1] if lines else "(no message)"),
                          done.returncode)
    return done


def _folder_of(stdout, stderr):
    """The folder a run or sweep printed: its last stdout line is "<dir>: ..."; a stopped sweep says --out <dir>."""
    lines = [l for l in stdout.splitlines() if ": " in l]
    if lines:
        return lines[-1].split(": ", 1)[0]
    m = re.search(r"--out (\S+)", stderr)
    if m:
        return m.group(1)
    raise SgdsimError("sgdsim printed no run folder")


def run(experiment, set=None, out=None, launcher=None, extra=()):  # noqa: A002 - the CLI's word
    """Runs ``./sgdsim run EXPERIMENT --set k=v ... [--out OUT] -q`` and returns the loaded :class:`Run`.

    ``set`` maps config keys to values (numbers, strings such as "d^1.5", dicts such as stop.when); ``extra`` adds
    launcher arguments. Exit 2 raises SgdsimError carrying sgdsim's one line.
    """
    args = ["run", experiment] + _sets(set) + (["--out", out] if out is not None else []) + ["-q"] + list(extra)
    done = _call(args, launcher)
    return load_run(out if out is not None else _folder_of(done.stdout, done.stderr))


def sweep(sweep_file, set=None, out=None, parallel=None, launcher=None, extra=()):  # noqa: A002
    """Runs ``./sgdsim sweep FILE ... -q`` (or resumes it into an existing ``out``) and returns the :class:`Sweep`."""
    args = (["sweep", sweep_file] + _sets(set) + (["--out", out] if out is not None else [])
            + (["--parallel", str(parallel)] if parallel is not None else []) + ["-q"] + list(extra))
    done = _call(args, launcher)
    return load_sweep(out if out is not None else _folder_of(done.stdout, done.stderr))


def resume(run_dir, set=None, launcher=None):  # noqa: A002
    """Runs ``./sgdsim resume RUN_DIR [--set stop.KEY=V]... -q`` and returns the loaded :class:`Run`."""
    _call(["resume", run_dir] + _sets(set) + ["-q"], launcher)
    return load_run(run_dir)


def _http_error(ex):
    try:
        said = json.loads(ex.read().decode("utf-8")).get("error")
    except (ValueError, AttributeError):
        said = None
    return SgdsimError("%s: HTTP %d%s" % (ex.url, ex.code, ": " + said if said else ""))


def live_runs(url, timeout=10):
    """The runs a live server (``--live`` or ``serve``) shows: /api/runs as a list of dicts."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/api/runs", timeout=timeout) as r:
            return json.load(r)["runs"]
    except urllib.error.HTTPError as ex:
        raise _http_error(ex) from None


def _events(stream):
    """Server-Sent Events of a byte stream as (event, id, data) triples."""
    event, ident, data = None, None, []
    for raw in stream:
        line = raw.decode("utf-8").rstrip("\r\n")
        if line == "":
            if data:
                yield event or "message", ident, "\n".join(data)
            event, data = None, []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            event = value
        elif field == "data":
            data.append(value)
        elif field == "id":
            ident = value


def follow(url, run, tables=("metrics",), last_event_id=None, timeout=60):  # noqa: A002
    """Yields the rows of a running run as they come, from ``GET URL/events?run=RUN`` (docs/live.md).

    ``run`` is the run's id (its folder's name, as /api/runs lists it) or its folder.
    Each row is a dict: ``seq``, ``table`` and the table's own columns. ``tables`` picks metrics, pipeline
    and/or latency rows; the iteration ends when the server sends ``end`` (the run finished, every row sent).
    ``last_event_id`` resumes after that row. A run not (yet) known to the server is waited for up to
    ``timeout`` seconds, then refused with the server's line. A row the server no longer holds is skipped (a ``gap`` event).
    """
    query = {"run": os.path.basename(os.path.normpath(os.fspath(run)))}  # a run's id is its folder's name
    if last_event_id is not None:
        query["lastEventId"] = str(last_event_id)
    address = url.rstrip("/") + "/events?" + urllib.parse.urlencode(query)
    deadline = time.monotonic() + timeout
    while True:
        try:
            stream = urllib.request.urlopen(address, timeout=timeout)
            break
        except urllib.error.HTTPError as ex:
            # A run just started may not be registered yet: wait for it up to the timeout.
            if ex.code != 404 or time.monotonic() > deadline:
                raise _http_error(ex) from None
            ex.close()
            time.sleep(0.2)
    with stream:
        for event, _, data in _events(stream):
            if event == "end":
                return
            if event in tables:
                yield json.loads(data)  # the server writes NaN and infinities as null
