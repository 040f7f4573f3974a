"""Tests of the sgdsim Python client: folders read by their own headers, bad folders, exit-2 errors, SSE.

The tests in LauncherTest start the real ./sgdsim (Java 17; the jar is built on first use); the others need
nothing but Python.  Run: python3 -m unittest discover -s python/tests
"""

import http.server
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
import sgdsim  # noqa: E402

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir))
QUICKSTART = os.path.join(REPO, "conf", "experiments", "quickstart.conf")


def column(table, name):
    """A column as a list, for a DataFrame or a Table."""
    values = table[name]
    return list(values.tolist() if hasattr(values, "tolist") else values)


def columns(table):
    return list(table.columns)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class FolderTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.run_dir = os.path.join(self.tmp.name, "run")
        # Columns no client knows about: they must come through by the header's names.
        write(os.path.join(self.run_dir, "config.json"), json.dumps({"data": {"dim": 7}, "stop": {"max-wall": "none"}}))
        write(os.path.join(self.run_dir, "metrics.csv"), "step,wall_s,novel_col,risk\n0,0.1,3,NaN\n5,0.2,4,0.25\n")
        write(os.path.join(self.run_dir, "theory.csv"), "step,risk\n0,1.0\n5,0.5\n")
        write(os.path.join(self.run_dir, "summary.json"), json.dumps({
            "stop_reason": "max-steps", "steps": 5,
            "latency": {"learner-iteration": {"count": 5, "p50_us": 1.5, "p99_us": 9.0},
                        "block-generation-0": {"count": 2, "p50_us": 3.0, "p99_us": 4.0}}}))

    def test_a_run_folder_reads_by_its_own_headers(self):
        run = sgdsim.load_run(self.run_dir)
        self.assertEqual(["step", "wall_s", "novel_col", "risk"], columns(run.metrics))
        self.assertEqual([0, 5], column(run.metrics, "step"))
        self.assertEqual([3, 4], column(run.metrics, "novel_col"))
        risk = column(run.metrics, "risk")
        self.assertNotEqual(risk[0], risk[0])  # NaN
        self.assertEqual(0.25, risk[1])
        self.assertEqual([1.0, 0.5], column(run.theory, "risk"))
        self.assertIsNone(run.pipeline)
        self.assertEqual(7, run.config["data"]["dim"])
        self.assertEqual(["stage", "count", "p50_us", "p99_us"], columns(run.latency))
        self.assertEqual(["learner-iteration", "block-generation-0"], column(run.latency, "stage"))
        self.assertEqual([9.0, 4.0], column(run.latency, "p99_us"))
        self.assertTrue(run.finished)

    def test_a_run_under_way_has_no_summary_and_its_torn_last_line_is_left_out(self):
        os.remove(os.path.join(self.run_dir, "summary.json"))
        with open(os.path.join(self.run_dir, "metrics.csv"), "a", encoding="utf-8") as f:
            f.write("9,0.3")
        run = sgdsim.load_run(self.run_dir)
        self.assertIsNone(run.summary)
        self.assertIsNone(run.latency)
        self.assertFalse(run.finished)
        self.assertEqual([0, 5], column(run.metrics, "step"))

    def test_a_run_stopped_by_its_wall_budget_is_unfinished(self):
        write(os.path.join(self.run_dir, "summary.json"), json.dumps({"stop_reason": "max-wall"}))
        run = sgdsim.load_run(self.run_dir)
        self.assertEqual("max-wall", run.stop_reason)
        self.assertFalse(run.finished)

    def assertRefused(self, path, message, load=sgdsim.load_run):
        with self.assertRaises(sgdsim.SgdsimError) as caught:
            load(path)
        self.assertEqual(message, str(caught.exception))
        self.assertIsNone(caught.exception.exit_code)

    def test_bad_run_folders_are_named_in_one_line(self):
        missing = os.path.join(self.tmp.name, "nothing")
        self.assertRefused(missing, "run folder %s does not exist" % missing)
        self.assertRefused(self.tmp.name, "%s is not a run folder: it has no config.json" % self.tmp.name)
        os.rename(os.path.join(self.run_dir, "config.json"), os.path.join(self.run_dir, "config.conf"))
        self.assertRefused(self.run_dir, "%s has no config.json (written by sgdsim since stop.max-wall); re-run it"
                           % self.run_dir)

    def test_damaged_files_are_named(self):
        summary = os.path.join(self.run_dir, "summary.json")
        write(summary, '{"stop_reason": ')
        with self.assertRaises(sgdsim.SgdsimError) as caught:
            sgdsim.load_run(self.run_dir)
        self.assertTrue(str(caught.exception).startswith(summary + " is not valid JSON"), str(caught.exception))
        os.remove(summary)
        metrics = os.path.join(self.run_dir, "metrics.csv")
        write(metrics, "step,risk\n0\n1,0.5\n")
        self.assertRefused(self.run_dir, "%s: line 2 has 1 cells, the header 2" % metrics)
        write(metrics, "")
        self.assertRefused(self.run_dir, "%s is empty: expected a header line" % metrics)
        os.remove(metrics)
        self.assertRefused(self.run_dir, "%s is missing" % metrics)

    def test_sweep_folders(self):
        sweep_dir = os.path.join(self.tmp.name, "sweep")
        self.assertRefused(sweep_dir, "sweep folder %s does not exist" % sweep_dir, sgdsim.load_sweep)
        os.makedirs(sweep_dir)
        self.assertRefused(sweep_dir, "%s is not a sweep folder: it has no sweep.conf and runs/" % sweep_dir,
                           sgdsim.load_sweep)
        write(os.path.join(sweep_dir, "sweep.conf"), "seeds = 1\n")
        os.makedirs(os.path.join(sweep_dir, "runs"))
        os.rename(self.run_dir, os.path.join(sweep_dir, "runs", "p-seed1"))
        unfinished = sgdsim.load_sweep(sweep_dir)
        self.assertFalse(unfinished.finished)
        self.assertIsNone(unfinished.summary)
        write(os.path.join(sweep_dir, "runs.csv"), "point,seed,nb_T\np,1,12\n")
        write(os.path.join(sweep_dir, "summary.csv"), "point,nbT_median\np,12.0\n")
        write(os.path.join(sweep_dir, "fits.json"), '{"fits": []}')
        done = sgdsim.load_sweep(sweep_dir)
        self.assertTrue(done.finished)
        self.assertEqual(["point", "seed", "nb_T"], columns(done.runs))
        self.assertEqual([12.0], column(done.summary, "nbT_median"))
        self.assertEqual({"fits": []}, done.fits)
        self.assertEqual([0, 5], column(done.run("p", 1).metrics, "step"))
        self.assertEqual(["p-seed1"], done.run_folders())


class FakeLauncherTest(unittest.TestCase):
    """The launcher's exit codes and lines, mapped to results and exceptions (a script stands in for sgdsim)."""

    def launcher(self, body):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        path = os.path.join(tmp.name, "sgdsim")
        write(path, "#!/bin/sh\n" + body)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    def test_exit_two_raises_sgdsims_one_line(self):
        fake = self.launcher('echo "WARNING: Using incubator modules: jdk.incubator.vector" >&2\n'
                             'echo "sgdsim: --set: data.dim: expected an integer in [1, 16777216], got 0" >&2\n'
                             "exit 2\n")
        with self.assertRaises(sgdsim.SgdsimError) as caught:
            sgdsim.run(QUICKSTART, set={"data.dim": 0}, launcher=fake)
        self.assertEqual("sgdsim: --set: data.dim: expected an integer in [1, 16777216], got 0", caught.exception.message)
        self.assertEqual(2, caught.exception.exit_code)

    def test_another_failure_keeps_its_code_and_last_line(self):
        fake = self.launcher('echo "sgdsim: stage learner failed: boom" >&2\nexit 1\n')
        with self.assertRaises(sgdsim.SgdsimError) as caught:
            sgdsim.sweep("x.conf", launcher=fake)
        self.assertEqual(1, caught.exception.exit_code)
        self.assertEqual("sgdsim exited with 1: sgdsim: stage learner failed: boom", caught.exception.message)

    def test_arguments_are_the_clis(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        log = os.path.join(tmp.name, "args")
        fake = self.launcher('printf "%%s\\n" "$@" > %s\nexit 2\n' % log)
        with self.assertRaises(sgdsim.SgdsimError):
            sgdsim.run("e.conf", set={"data.dim": 100, "theory.enabled": True, "stop.when": {"metric": "risk",
                       "below": 0.1}, "stop.max-wall": None, "training.batch-size": "d^1.5"}, out="o", launcher=fake)
        with open(log, encoding="utf-8") as f:
            self.assertEqual(["run", "e.conf", "--set", "data.dim=100", "--set", "theory.enabled=true", "--set",
                              'stop.when={"metric": "risk", "below": 0.1}', "--set", "stop.max-wall=none",
                              "--set", "training.batch-size=d^1.5", "--out", "o", "-q"], f.read().splitlines())

    def test_a_launcher_that_is_not_there_is_named(self):
        with self.assertRaises(sgdsim.SgdsimError) as caught:
            sgdsim.run("e.conf", launcher="/nonexistent/sgdsim")
        self.assertEqual("sgdsim launcher /nonexistent/sgdsim is not an executable file", caught.exception.message)
        self.assertEqual(os.path.join(REPO, "sgdsim"), sgdsim.launcher_path())


class _Events(http.server.BaseHTTPRequestHandler):
    """Answers /events as docs/live.md describes: run, rows of two tables, heartbeat, gap, end; 404 otherwise."""

    def do_GET(self):  # noqa: N802 - http.server's name
        if not self.path.startswith("/events?run=r1"):
            body = b'{"error":"unknown run"}'
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.server.paths.append(self.path)
        self.wfile.write(b'retry: 2000\n\nevent: run\ndata: {"id":"r1"}\n\n'
                         b'id: 0\nevent: metrics\ndata: {"seq":0,"table":"metrics","step":0,"risk":1.5}\n\n'
                         b': a comment\n'
                         b'id: 1\nevent: pipeline\ndata: {"seq":1,"table":"pipeline","steps":3}\n\n'
                         b'event: heartbeat\ndata: {"next":2}\n\n'
                         b'event: gap\ndata: {"from":2,"to":4}\n\n'
                         b'id: 4\nevent: metrics\ndata: {"seq":4,"table":"metrics","step":9,"risk":null}\n\n'
                         b'event: end\ndata: {"next":5}\n\n')

    def log_message(self, *args):
        pass


class FollowTest(unittest.TestCase):
    def setUp(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Events)
        self.server.paths = []
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def test_rows_of_the_chosen_tables_until_end(self):
        rows = list(sgdsim.follow(self.url, "runs/r1"))
        self.assertEqual([{"seq": 0, "table": "metrics", "step": 0, "risk": 1.5},
                          {"seq": 4, "table": "metrics", "step": 9, "risk": None}], rows)
        both = list(sgdsim.follow(self.url + "/", "r1", tables=("metrics", "pipeline"), last_event_id=3))
        self.assertEqual([0, 1, 4], [r["seq"] for r in both])
        self.assertEqual("/events?run=r1&lastEventId=3", self.server.paths[-1])

    def test_an_unknown_run_is_the_servers_line(self):
        with self.assertRaises(sgdsim.SgdsimError) as caught:
            list(sgdsim.follow(self.url, "nope", timeout=0.5))
        self.assertEqual("%s/events?run=nope: HTTP 404: unknown run" % self.url, caught.exception.message)


@unittest.skipUnless(shutil.which("java"), "needs Java for ./sgdsim")
class LauncherTest(unittest.TestCase):
    """The real launcher: a run, an exit-2 refusal, a wall budget and its resume, a live run followed."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def test_a_run_loads_with_its_config_and_theory(self):
        out = os.path.join(self.tmp.name, "q")
        run = sgdsim.run(QUICKSTART, set={"data.dim": 200, "theory.enabled": True}, out=out)
        with open(os.path.join(out, "metrics.csv"), encoding="utf-8") as f:
            header = f.readline().strip().split(",")
        self.assertEqual(header, columns(run.metrics))
        self.assertEqual(200, run.config["data"]["dim"])
        self.assertEqual("threshold", run.stop_reason)
        self.assertEqual(run.summary["steps"], column(run.metrics, "step")[-1])
        self.assertEqual(columns(run.metrics), columns(run.theory))
        self.assertIn("learner-iteration", column(run.latency, "stage"))

    def test_exit_two_carries_the_one_line_and_writes_nothing(self):
        out = os.path.join(self.tmp.name, "bad")
        with self.assertRaises(sgdsim.SgdsimError) as caught:
            sgdsim.run(QUICKSTART, set={"stop.max-wall": "soon"}, out=out)
        self.assertEqual(2, caught.exception.exit_code)
        self.assertEqual("sgdsim: --set: stop.max-wall: expected none or a positive duration with its unit "
                         "(2h, 90m, 30s, 500ms), got 'soon'", caught.exception.message)
        self.assertFalse(os.path.exists(out))

    def test_a_wall_budget_stops_the_run_and_resume_ends_it(self):
        out = os.path.join(self.tmp.name, "w")
        run = sgdsim.run(QUICKSTART, set={"data.dim": 500, "stop.when": None, "stop.max-wall": "300ms"}, out=out)
        self.assertEqual("max-wall", run.stop_reason)
        self.assertFalse(run.finished)
        with self.assertRaises(sgdsim.SgdsimError) as caught:
            sgdsim.resume(out, set={"data.dim": 600})
        self.assertTrue(caught.exception.message.startswith("sgdsim: --set data.dim: resume takes stop.* keys only"))
        done = sgdsim.resume(out, set={"stop.max-wall": None})
        self.assertEqual("max-samples", done.stop_reason)
        self.assertEqual(500 * 2000, done.summary["samples"])

    def test_follow_a_live_run(self):
        out = os.path.join(self.tmp.name, "live")
        proc = subprocess.Popen([sgdsim.launcher_path(), "run", QUICKSTART, "--live", "-q", "--out", out,
                                 "--set", "stop.when=none", "--set", "data.dim=500",
                                 "--set", "live.buffer-rows=100000"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(proc.wait)
        self.addCleanup(proc.kill)
        url = None
        for line in proc.stderr:
            m = re.search(r"live dashboard at (http://\S+)", line)
            if m:
                url = m.group(1).rstrip("/")
                break
        self.assertIsNotNone(url, "the live URL on stderr")
        rows = list(sgdsim.follow(url, out))
        proc.wait(timeout=120)
        self.assertEqual(0, proc.returncode)
        run = sgdsim.load_run(out)
        self.assertEqual(column(run.metrics, "step"), [r["step"] for r in rows])
        self.assertEqual(set(columns(run.metrics)) | {"seq", "table"}, set(rows[0]))


if __name__ == "__main__":
    unittest.main()
